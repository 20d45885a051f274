/**
 * Selector shapes stored with every annotation. @margin/model mirrors these as zod schemas, so a
 * change here is a change to the stored data format: keep the two in step.
 */

/** W3C Web Annotation TextQuoteSelector: the quoted words plus up to ~32 characters either side. */
export interface TextQuoteSelector {
  type: "TextQuoteSelector";
  exact: string;
  prefix: string;
  suffix: string;
}

/** W3C Web Annotation TextPositionSelector: UTF-16 offsets into the root's textContent. */
export interface TextPositionSelector {
  type: "TextPositionSelector";
  start: number;
  end: number;
}

/** Margin's own selector: the key of the commentable paragraph (see paragraphs()) the quote sat in. */
export interface ParagraphSelector {
  type: "ParagraphSelector";
  key: string;
}

export type Selector = TextQuoteSelector | TextPositionSelector | ParagraphSelector;

/** A selector as stored or sent: W3C makes a quote's prefix and suffix optional. */
export type StoredSelector =
  | (Omit<TextQuoteSelector, "prefix" | "suffix"> & { prefix?: string; suffix?: string })
  | TextPositionSelector
  | ParagraphSelector;

/** Stored quotes may lack prefix/suffix; anchoring wants strings. */
export function withContext(list: readonly StoredSelector[]): Selector[] {
  return list.map((s) =>
    s.type === "TextQuoteSelector" ? { ...s, prefix: s.prefix ?? "", suffix: s.suffix ?? "" } : s,
  );
}

export function findSelector<T extends Selector["type"]>(
  selectors: readonly Selector[],
  type: T,
): Extract<Selector, { type: T }> | undefined {
  return selectors.find((s): s is Extract<Selector, { type: T }> => s.type === type);
}
