import * as z from "zod/mini";
import { isHttpUrl } from "./guards.ts";

/**
 * The messages between the agency's page (the in-page part) and the sidebar
 * frame on the service's origin. Each side checks the sender's window and
 * exact origin, then checks the message against these shapes and drops
 * anything else. At run time the checks are the hand-written ones in
 * guards.ts (no schema library crosses into either bundle); these schemas
 * are the reference the tests hold them to, and give the types.
 *
 * What crosses is deliberately little. The page learns where public comments
 * are anchored (ids and selectors), never who the reader is or what is
 * pending. The frame learns which words the reader picked; nothing the page
 * sends can write as the reader: sending, +1 and sign-in happen only on clicks
 * inside the frame.
 */

const Id = z.string().check(z.minLength(1), z.maxLength(100));
const Key = z.string().check(z.minLength(1), z.maxLength(200));

export const SelectorSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("TextQuoteSelector"),
    exact: z.string().check(z.minLength(1), z.maxLength(10_000)),
    prefix: z.optional(z.string().check(z.maxLength(200))),
    suffix: z.optional(z.string().check(z.maxLength(200))),
  }),
  z.strictObject({
    type: z.literal("TextPositionSelector"),
    start: z.number().check(z.int(), z.minimum(0)),
    end: z.number().check(z.int(), z.minimum(0)),
  }),
  z.strictObject({ type: z.literal("ParagraphSelector"), key: Key }),
]);
const Selectors = z.array(SelectorSchema).check(z.minLength(1), z.maxLength(5));

/** Words the reader picked on the page, with where they are. */
export const TargetSchema = z.strictObject({
  selectors: Selectors,
  quote: z.string().check(z.minLength(1), z.maxLength(10_000)),
  paragraphKey: z.nullable(Key),
  /** The paragraph as the reader sees it numbered on the page. */
  label: z.nullable(z.string().check(z.maxLength(40))),
  source: z.string().check(z.refine(isHttpUrl, "an http(s) address")),
});
export type Target = z.infer<typeof TargetSchema>;

export const ToFrameSchema = z.discriminatedUnion("type", [
  /** Which of the frame's comments could not be placed on the page's current text. */
  z.strictObject({
    type: z.literal("margin:anchored"),
    orphans: z.array(Id).check(z.maxLength(100_000)),
  }),
  z.strictObject({ type: z.literal("margin:compose"), target: TargetSchema }),
  z.strictObject({
    type: z.literal("margin:open"),
    paragraph: z.nullable(z.strictObject({ key: Key, label: z.string().check(z.maxLength(40)) })),
  }),
]);
export type ToFrame = z.infer<typeof ToFrameSchema>;

/** A public comment as the page needs it: where to place it, nothing more. */
export const PlacedSchema = z.strictObject({
  id: Id,
  selectors: Selectors,
  paragraphKey: z.nullable(Key),
});
export type Placed = z.infer<typeof PlacedSchema>;

export const ToPageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("margin:ready") }),
  z.strictObject({
    type: z.literal("margin:items"),
    items: z.array(PlacedSchema).check(z.maxLength(100_000)),
  }),
  z.strictObject({ type: z.literal("margin:show"), id: Id }),
  z.strictObject({ type: z.literal("margin:close") }),
]);
export type ToPage = z.infer<typeof ToPageSchema>;

/** Parses a message, or null: a malformed one is dropped, never half-used. */
export function parseMessage<T>(schema: z.ZodMiniType<T>, data: unknown): T | null {
  const r = schema.safeParse(data);
  return r.success ? r.data : null;
}
