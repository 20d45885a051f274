import { serve } from "@hono/node-server";
import { type App, createApp } from "./app.ts";
import { startBackground } from "./background.ts";
import { type DatabaseHandle, openDatabase } from "./db/connect.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { seedDemo } from "./demo/seed.ts";
import type { Env } from "./env.ts";
import { smtpMailer } from "./features/notifications/mail.ts";
import { writeActivity } from "./http/write-activity.ts";

export interface Running {
  url: string;
  port: number;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database, migrates it, seeds the demo on first start, and listens. */
export async function startServer(
  env: Env,
  log: (line: string) => void = console.log,
): Promise<Running> {
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.MARGIN_DATA_DIR,
    poolSize: env.DB_POOL_SIZE,
  });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log(`migrated: ${applied.join(", ")}`);

  let listenPort = env.PORT;
  // The public URL can depend on the port we are given, so the app is made once listening.
  let app: App | undefined;
  const starting = () =>
    new Response('{"error":{"code":"unavailable","message":"starting"}}', { status: 503 });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: (req) => (app ? app.fetch(req) : starting()), port: env.PORT, hostname: env.HOST },
      (info) => {
        listenPort = info.port;
        resolve(s);
      },
    );
  });
  const url =
    env.PUBLIC_URL ?? `http://${env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST}:${listenPort}`;
  const writes = writeActivity();
  app = createApp({
    db: database.db,
    now: () => new Date(),
    sessionDays: env.SESSION_DAYS,
    publicUrl: url,
    writes,
  });

  if (env.MARGIN_DEMO === "true") {
    const seeded = await seedDemo(database.db, url, new Date());
    if (seeded)
      log(`demo seeded: ${seeded.consultationIds.map((id) => `${url}/c/${id}`).join("  ")}`);
  }
  const mailer = env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM) : null;
  const stopBackground = startBackground(database.db, {
    publicUrl: url,
    mailer,
    // A client draining its outbox pushes every few hundred milliseconds: let it finish first.
    quiet: { lastWriteAt: writes.lastAt, writeGapMs: 1000 },
  });
  log(`Margin (${database.kind}) listening on ${url}  — API docs at ${url}/docs`);
  return {
    url,
    port: listenPort,
    database,
    close: async () => {
      // Stop taking requests, then drop idle keep-alive sockets (browsers hold
      // them open for minutes), so stopping takes moments, not minutes.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const http = server as unknown as {
        closeIdleConnections?: () => void;
        closeAllConnections?: () => void;
      };
      http.closeIdleConnections?.();
      const force = setTimeout(() => http.closeAllConnections?.(), 5_000);
      await closed;
      clearTimeout(force);
      await stopBackground();
      await database.close();
    },
  };
}
