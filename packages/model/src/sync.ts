import * as z from "zod";
import { PublicPersonSchema } from "./accounts.ts";
import {
  AnnotationInputSchema,
  AnnotationPatchSchema,
  AnnotationSchema,
  EndorsementKindSchema,
} from "./annotations.ts";
import { ClientIdSchema, HttpUrlSchema, IdSchema, Iso } from "./common.ts";
import { ErrorCodeSchema } from "./errors.ts";
import { OfficialResponseSchema } from "./responses.ts";

export const MAX_PUSH_MUTATIONS = 500;

/**
 * One offline change. `key` is its idempotency key (a UUIDv7 made when the
 * person acted): the service remembers the result per key, so a replayed
 * push returns the same answer and changes nothing.
 */
export const MutationSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("annotation.create"),
      key: ClientIdSchema,
      annotation: AnnotationInputSchema,
    }),
    z.strictObject({
      type: z.literal("annotation.edit"),
      key: ClientIdSchema,
      id: IdSchema,
      baseRevision: z.number().int().min(1),
      patch: AnnotationPatchSchema,
    }),
    z.strictObject({
      type: z.literal("annotation.withdraw"),
      key: ClientIdSchema,
      id: IdSchema,
      baseRevision: z.number().int().min(1),
    }),
    z.strictObject({
      type: z.literal("endorsement.set"),
      key: ClientIdSchema,
      annotationId: IdSchema,
      kind: EndorsementKindSchema.nullable(),
    }),
  ])
  .meta({ id: "Mutation" });
export type Mutation = z.infer<typeof MutationSchema>;
export type MutationInput = z.input<typeof MutationSchema>;

export const PushRequestSchema = z
  .strictObject({ mutations: z.array(MutationSchema).min(1).max(MAX_PUSH_MUTATIONS) })
  .meta({ id: "PushRequest" });
export type PushRequest = z.input<typeof PushRequestSchema>;

export const PushResultSchema = z
  .discriminatedUnion("status", [
    z.object({ key: z.string(), status: z.literal("applied"), annotation: AnnotationSchema }),
    /** The server copy changed since the client's base revision, or it was withdrawn or hidden: shown to the person, never overwritten. */
    z.object({
      key: z.string(),
      status: z.literal("conflict"),
      reason: z.string(),
      server: AnnotationSchema,
    }),
    z.object({
      key: z.string(),
      status: z.literal("rejected"),
      error: z.object({ code: ErrorCodeSchema, message: z.string() }),
    }),
  ])
  .meta({ id: "PushResult" });
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushResponseSchema = z
  .object({ results: z.array(PushResultSchema) })
  .meta({ id: "PushResponse" });
export type PushResponse = z.infer<typeof PushResponseSchema>;

/**
 * A push's answer as sent: whole, or with `Prefer: return=minimal` (push-answer.ts) an
 * `applied` new comment stored exactly as sent without its annotation, and the author and
 * moment of those once.
 */
export const PushAnswerSchema = z
  .object({
    results: z.array(
      z.union([
        z.strictObject({ key: z.string(), status: z.literal("applied") }),
        PushResultSchema,
      ]),
    ),
    author: PublicPersonSchema.optional(),
    at: Iso.optional(),
  })
  .meta({ id: "PushAnswer" });
export type PushAnswer = z.infer<typeof PushAnswerSchema>;

/** Pull is scoped to a consultation or, for pages that are not registered consultations, to one canonical URL. */
export const PullQuerySchema = z
  .strictObject({
    consultation: IdSchema.optional(),
    source: HttpUrlSchema.optional(),
    since: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .refine(
    (q) => (q.consultation === undefined) !== (q.source === undefined),
    "give exactly one of consultation, source",
  );

export const PullResponseSchema = z
  .object({
    annotations: z.array(AnnotationSchema),
    /** Official answers published or revised after the cursor (consultations only). */
    responses: z.array(OfficialResponseSchema),
    cursor: z.number().int(),
    hasMore: z.boolean(),
  })
  .meta({ id: "PullResponse" });
export type PullResponse = z.infer<typeof PullResponseSchema>;
