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

export function findSelector<T extends Selector["type"]>(
  selectors: readonly Selector[],
  type: T,
): Extract<Selector, { type: T }> | undefined {
  return selectors.find((s): s is Extract<Selector, { type: T }> => s.type === type);
}
