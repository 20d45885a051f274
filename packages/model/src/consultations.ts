import * as z from "zod";
import { PublicPersonSchema } from "./accounts.ts";
import { IdSchema, Iso, LocaleSchema } from "./common.ts";
import { UrlPatternSchema } from "./url-pattern.ts";

/**
 * Stored lifecycle: a consultation is a draft until published and concluded
 * once every point is answered. Between those, whether it is upcoming, open or
 * closed follows from the clock, so no job has to flip it.
 */
export const ConsultationStatusSchema = z.enum([
  "draft",
  "upcoming",
  "open",
  "closed",
  "concluded",
]);
export type ConsultationStatus = z.infer<typeof ConsultationStatusSchema>;

const dates = {
  opensAt: Iso,
  closesAt: Iso,
  respondBy: Iso,
};

const consultationFields = {
  title: z.string().trim().min(1).max(300),
  summary: z.string().max(5000).default(""),
  locale: LocaleSchema.default("zh-Hant"),
  urlPatterns: z.array(UrlPatternSchema).max(50).default([]),
  ...dates,
  officialIds: z.array(IdSchema).max(100).default([]),
};

function datesInOrder(c: { opensAt?: string; closesAt?: string; respondBy?: string }) {
  const o = c.opensAt ? Date.parse(c.opensAt) : undefined;
  const cl = c.closesAt ? Date.parse(c.closesAt) : undefined;
  const r = c.respondBy ? Date.parse(c.respondBy) : undefined;
  if (o !== undefined && cl !== undefined && cl <= o) return false;
  if (cl !== undefined && r !== undefined && r < cl) return false;
  return true;
}
const datesMessage = {
  message: "dates must run opensAt < closesAt <= respondBy",
  path: ["closesAt"],
};

export const ConsultationInputSchema = z
  .strictObject({ agencyId: IdSchema, ...consultationFields })
  .refine(datesInOrder, datesMessage)
  .meta({ id: "ConsultationInput" });
export type ConsultationInput = z.infer<typeof ConsultationInputSchema>;

export const ConsultationPatchSchema = z
  .strictObject({
    title: consultationFields.title.optional(),
    summary: z.string().max(5000).optional(),
    locale: LocaleSchema.optional(),
    urlPatterns: z.array(UrlPatternSchema).max(50).optional(),
    opensAt: Iso.optional(),
    closesAt: Iso.optional(),
    respondBy: Iso.optional(),
    officialIds: z.array(IdSchema).max(100).optional(),
    status: z.enum(["draft", "published", "concluded"]).optional(),
  })
  .meta({ id: "ConsultationPatch" });
export type ConsultationPatch = z.infer<typeof ConsultationPatchSchema>;

export const ConsultationSchema = z
  .object({
    id: IdSchema,
    agency: z.object({
      id: IdSchema,
      slug: z.string(),
      name: z.object({ "zh-Hant": z.string().optional(), en: z.string().optional() }),
    }),
    title: z.string(),
    summary: z.string(),
    locale: LocaleSchema,
    urlPatterns: z.array(z.string()),
    opensAt: Iso,
    closesAt: Iso,
    respondBy: Iso,
    status: ConsultationStatusSchema,
    officials: z.array(PublicPersonSchema),
    currentVersion: z.number().int().nullable(),
    createdAt: Iso,
    updatedAt: Iso,
  })
  .meta({ id: "Consultation" });
export type Consultation = z.infer<typeof ConsultationSchema>;

export function effectiveStatus(
  stored: "draft" | "published" | "concluded",
  c: { opens_at: Date; closes_at: Date },
  now: Date,
): ConsultationStatus {
  if (stored === "draft" || stored === "concluded") return stored;
  if (now < c.opens_at) return "upcoming";
  if (now < c.closes_at) return "open";
  return "closed";
}

/** What the extension downloads to match pages locally. */
export const UrlPatternListSchema = z
  .object({
    generatedAt: Iso,
    consultations: z.array(
      z.object({
        id: IdSchema,
        title: z.string(),
        status: ConsultationStatusSchema,
        urlPatterns: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: "UrlPatternList" });
export type UrlPatternList = z.infer<typeof UrlPatternListSchema>;

export const ParagraphSchema = z
  .object({ key: z.string(), ordinal: z.number().int(), text: z.string(), textHash: z.string() })
  .meta({ id: "Paragraph" });
export type Paragraph = z.infer<typeof ParagraphSchema>;

export const DraftVersionInputSchema = z
  .union([
    z.strictObject({
      html: z.string().min(1).max(5_000_000),
      note: z.string().max(2000).default(""),
    }),
    z.strictObject({
      paragraphs: z
        .array(
          z.strictObject({
            key: z.string().min(1).max(200).optional(),
            text: z.string().min(1).max(50_000),
          }),
        )
        .min(1)
        .max(20_000),
      note: z.string().max(2000).default(""),
    }),
  ])
  .meta({ id: "DraftVersionInput" });
export type DraftVersionInput = z.infer<typeof DraftVersionInputSchema>;

export const DraftVersionSchema = z
  .object({
    consultationId: IdSchema,
    version: z.number().int(),
    note: z.string(),
    createdAt: Iso,
    html: z.string().nullable(),
    paragraphs: z.array(ParagraphSchema),
  })
  .meta({ id: "DraftVersion" });
export type DraftVersion = z.infer<typeof DraftVersionSchema>;

export const ParagraphFateSchema = z.enum([
  "unchanged",
  "moved",
  "edited",
  "split",
  "merged",
  "removed",
  "new",
]);

/** What a new version did to the previous one, and where each comment ended up. */
export const VersionChangesSchema = z
  .object({
    consultationId: z.string(),
    version: z.number().int(),
    from: z.number().int(),
    paragraphs: z.array(
      z.object({
        oldKey: z.string().nullable(),
        kind: ParagraphFateSchema,
        newKeys: z.array(z.string()),
        similarity: z.number().nullable(),
        oldText: z.string().nullable(),
        newText: z.string().nullable(),
      }),
    ),
    annotations: z.array(
      z.object({
        annotationId: z.string(),
        status: z.enum(["intact", "changed", "orphaned"]),
        paragraphKey: z.string().nullable(),
        oldText: z.string().nullable(),
        newText: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "VersionChanges" });
export type VersionChanges = z.infer<typeof VersionChangesSchema>;
