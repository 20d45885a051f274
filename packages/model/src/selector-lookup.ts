import type { Selector, TextQuoteSelector } from "./selectors.ts";

// Kept apart from the schemas so a client can read selectors without carrying zod.

export function paragraphKeyOf(selectors: readonly Selector[]): string | null {
  for (const s of selectors) if (s.type === "ParagraphSelector") return s.key;
  return null;
}

export function quoteOf(selectors: readonly Selector[]): TextQuoteSelector | null {
  for (const s of selectors) if (s.type === "TextQuoteSelector") return s;
  return null;
}
