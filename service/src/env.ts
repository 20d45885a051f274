import { z } from "zod";

/** An empty variable means unset (as `FOO= cmd` does in a shell). */
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional());

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default("127.0.0.1"),
  /** A real PostgreSQL server; without it, PGlite keeps the data in MARGIN_DATA_DIR. */
  DATABASE_URL: optionalUrl,
  MARGIN_DATA_DIR: z.string().default(".margin-data"),
  /** Where people reach this service (links in pages and the widget snippet). */
  PUBLIC_URL: optionalUrl,
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** `false` skips the demo agency, official and consultation on first start. */
  MARGIN_DEMO: z.enum(["true", "false"]).default("true"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Email to officials (deadlines, hourly digest of new points): smtp://user:pass@host:587 or smtps://… */
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, "must look like smtp://user:password@host:587")
      .optional(),
  ),
  /** The sender of those emails. */
  MAIL_FROM: z.string().min(3).default("Margin <margin@localhost>"),
});

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Margin cannot start; fix these environment variables:\n${lines}`);
  }
  return result.data;
}
