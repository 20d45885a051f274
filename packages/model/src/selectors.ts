import * as z from "zod";

/** W3C Web Annotation TextQuoteSelector: the quoted words and a little context. */
export const TextQuoteSelectorSchema = z.strictObject({
  type: z.literal("TextQuoteSelector"),
  exact: z.string().min(1).max(10_000),
  prefix: z.string().max(200).optional(),
  suffix: z.string().max(200).optional(),
});

/** W3C TextPositionSelector: UTF-16 offsets into the document's text. */
export const TextPositionSelectorSchema = z
  .strictObject({
    type: z.literal("TextPositionSelector"),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  })
  .refine((s) => s.end >= s.start, { message: "end must not be before start", path: ["end"] });

/** Margin's own: the stable key of the paragraph the quote sits in. */
export const ParagraphSelectorSchema = z.strictObject({
  type: z.literal("ParagraphSelector"),
  key: z.string().min(1).max(200),
});

export const SelectorSchema = z.discriminatedUnion("type", [
  TextQuoteSelectorSchema,
  TextPositionSelectorSchema,
  ParagraphSelectorSchema,
]);

export type TextQuoteSelector = z.infer<typeof TextQuoteSelectorSchema>;
export type TextPositionSelector = z.infer<typeof TextPositionSelectorSchema>;
export type ParagraphSelector = z.infer<typeof ParagraphSelectorSchema>;
export type Selector = z.infer<typeof SelectorSchema>;
