import * as z from "zod";
import { PublicPersonSchema } from "./accounts.ts";
import { ClientIdSchema, HttpUrlSchema, IdSchema, Iso } from "./common.ts";
import { SelectorSchema } from "./selectors.ts";

/** W3C motivations Margin uses; `editing` is a suggested rewording. */
export const MotivationSchema = z.enum(["commenting", "questioning", "editing", "replying"]);
export type Motivation = z.infer<typeof MotivationSchema>;

export const StanceSchema = z.enum(["support", "oppose", "neutral"]);
export type Stance = z.infer<typeof StanceSchema>;

export const AnnotationStatusSchema = z.enum(["visible", "withdrawn", "hidden"]);
export type AnnotationStatus = z.infer<typeof AnnotationStatusSchema>;

/** W3C target: the page and where on it. */
export const TargetSchema = z.strictObject({
  source: HttpUrlSchema,
  selector: z.array(SelectorSchema).min(1).max(5),
});
export type Target = z.infer<typeof TargetSchema>;

export const CommentTextSchema = z.string().trim().min(1, "write something").max(10_000);

const bodyFields = {
  text: CommentTextSchema,
  /** The proposed wording, for `editing`. */
  suggestion: z.string().trim().min(1).max(10_000).nullable().default(null),
  stance: StanceSchema.default("neutral"),
};

function suggestionFits(a: { motivation?: Motivation; suggestion?: string | null }) {
  if (a.motivation === "editing") return typeof a.suggestion === "string";
  return a.suggestion === null || a.suggestion === undefined;
}
const suggestionMessage = {
  message:
    "a suggested rewording (motivation editing) needs the proposed text in suggestion; other kinds must not have one",
  path: ["suggestion"],
};

/**
 * A new annotation. The client makes the id (UUIDv7) before it first sends,
 * so a retry after a lost answer finds the one already stored.
 * A reply has parentId and motivation `replying`; its target is its parent's.
 */
export const AnnotationInputSchema = z
  .strictObject({
    id: ClientIdSchema,
    consultationId: IdSchema.nullable().default(null),
    target: TargetSchema,
    parentId: IdSchema.nullable().default(null),
    motivation: MotivationSchema.default("commenting"),
    ...bodyFields,
  })
  .refine(suggestionFits, suggestionMessage)
  .refine((a) => (a.parentId === null) === (a.motivation !== "replying"), {
    message: "a reply has motivation replying and a parentId; nothing else does",
    path: ["motivation"],
  })
  .meta({ id: "AnnotationInput" });
export type AnnotationInput = z.input<typeof AnnotationInputSchema>;
export type AnnotationCreate = z.output<typeof AnnotationInputSchema>;

/** What an author may change; the revision it was based on travels in If-Match. */
export const AnnotationPatchSchema = z
  .strictObject({
    text: CommentTextSchema.optional(),
    suggestion: z.string().trim().min(1).max(10_000).nullable().optional(),
    stance: StanceSchema.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, "change at least one of text, suggestion, stance")
  .meta({ id: "AnnotationPatch" });
export type AnnotationPatch = z.infer<typeof AnnotationPatchSchema>;

export const EndorsementKindSchema = z.enum(["agree", "disagree"]);
export type EndorsementKind = z.infer<typeof EndorsementKindSchema>;
export const EndorsementInputSchema = z
  .strictObject({ kind: EndorsementKindSchema.nullable() })
  .meta({ id: "EndorsementInput" });

export const AnnotationSchema = z
  .object({
    id: IdSchema,
    consultationId: IdSchema.nullable(),
    target: z.object({ source: z.string(), selector: z.array(SelectorSchema) }),
    paragraphKey: z.string().nullable(),
    parentId: IdSchema.nullable(),
    motivation: MotivationSchema,
    text: z.string(),
    suggestion: z.string().nullable(),
    stance: StanceSchema,
    author: PublicPersonSchema,
    created: Iso,
    modified: Iso,
    revision: z.number().int().min(1),
    status: AnnotationStatusSchema,
    hiddenReason: z.string().nullable(),
    endorsements: z.object({ agree: z.number().int(), disagree: z.number().int() }),
    /** The aggregated point it was folded into (null until clustering reaches it, and for replies). */
    pointId: IdSchema.nullable(),
  })
  .meta({ id: "Annotation" });
export type Annotation = z.infer<typeof AnnotationSchema>;

export const AnnotationListQuerySchema = z
  .strictObject({
    consultation: IdSchema.optional(),
    source: HttpUrlSchema.optional(),
    paragraph: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
    after: IdSchema.optional(),
  })
  .refine(
    (q) => q.consultation !== undefined || q.source !== undefined,
    "give consultation or source",
  );

export const AnnotationPageSchema = z
  .object({ items: z.array(AnnotationSchema), next: IdSchema.nullable() })
  .meta({ id: "AnnotationPage" });
