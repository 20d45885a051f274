import * as z from "zod";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Server-made ids: any RFC 4122 UUID. */
export const IdSchema = z.uuid();

/**
 * Client-made ids are UUIDv7: time-ordered, so they index well, and made
 * before the first send, so a retried create is recognised instead of doubled.
 */
export const ClientIdSchema = z
  .string()
  .regex(UUID_V7, "must be a UUIDv7 made by the client (e.g. 0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70)")
  .transform((s) => s.toLowerCase());

export const Iso = z.iso.datetime({ offset: true });

export const HttpUrlSchema = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL");

export const LocaleSchema = z.enum(["zh-Hant", "en"]);
export type Locale = z.infer<typeof LocaleSchema>;

/** Names and titles given per locale; at least one locale. */
export const LocalizedSchema = z
  .strictObject({
    "zh-Hant": z.string().min(1).max(300).optional(),
    en: z.string().min(1).max(300).optional(),
  })
  .refine(
    (o) => o["zh-Hant"] !== undefined || o.en !== undefined,
    "give at least one of zh-Hant, en",
  );

export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});
