import * as z from "zod";
import { PublicPersonSchema } from "./accounts.ts";
import { IdSchema, Iso } from "./common.ts";

/** What the agency did with a point. */
export const DispositionSchema = z.enum([
  "adopted",
  "partly_adopted",
  "not_adopted",
  "explained",
  "out_of_scope",
]);
export type Disposition = z.infer<typeof DispositionSchema>;

/** An official answers an aggregated point (cluster), a whole paragraph, or one comment. */
export const ResponseTargetSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("cluster"), id: IdSchema }),
  z.strictObject({ type: z.literal("paragraph"), key: z.string().min(1).max(200) }),
  z.strictObject({ type: z.literal("annotation"), id: IdSchema }),
]);
export type ResponseTarget = z.infer<typeof ResponseTargetSchema>;

/** "Adopted: see article 3 as revised" — the place in a later version of the draft the answer points to. */
export const CitedChangeSchema = z.strictObject({
  version: z.number().int().min(1),
  paragraphKey: z.string().min(1).max(200),
});

export const ResponseTextSchema = z.string().trim().min(1, "write the answer").max(20_000);

export const ResponseInputSchema = z
  .strictObject({
    target: ResponseTargetSchema,
    text: ResponseTextSchema,
    disposition: DispositionSchema,
    citesChange: CitedChangeSchema.nullable().default(null),
    /** Publish at once; otherwise it stays a private draft of the agency until published. */
    publish: z.boolean().default(false),
  })
  .meta({ id: "ResponseInput" });
export type ResponseInput = z.input<typeof ResponseInputSchema>;

export const ResponsePatchSchema = z
  .strictObject({
    text: ResponseTextSchema.optional(),
    disposition: DispositionSchema.optional(),
    citesChange: CitedChangeSchema.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, "change at least one of text, disposition, citesChange")
  .meta({ id: "ResponsePatch" });

export const PublishInputSchema = z
  .strictObject({ ids: z.array(IdSchema).min(1).max(1000) })
  .meta({ id: "PublishInput" });

export const ResponseRevisionSchema = z.object({
  revision: z.number().int(),
  text: z.string(),
  disposition: DispositionSchema,
  official: PublicPersonSchema,
  at: Iso,
});

export const OfficialResponseSchema = z
  .object({
    id: IdSchema,
    consultationId: IdSchema,
    target: ResponseTargetSchema,
    text: z.string(),
    disposition: DispositionSchema,
    citesChange: CitedChangeSchema.nullable(),
    status: z.enum(["draft", "published"]),
    revision: z.number().int(),
    official: PublicPersonSchema,
    createdAt: Iso,
    publishedAt: Iso.nullable(),
    updatedAt: Iso,
    /** Every published revision, oldest first: the public sees how an answer changed. */
    history: z.array(ResponseRevisionSchema),
  })
  .meta({ id: "OfficialResponse" });
export type OfficialResponse = z.infer<typeof OfficialResponseSchema>;
