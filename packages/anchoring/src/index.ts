export {
  type AnchorContext,
  anchor,
  anchorAll,
  anchorAllYielding,
  locateAll,
  paragraphsYielding,
  type YieldingOptions,
} from "./anchor.ts";
export { type Found, keptPlaces, type Placeable, toAnchor } from "./anchor-cache.ts";
export { CONTEXT_LENGTH, describe, paragraphKeyAt } from "./describe.ts";
export { fingerprint } from "./fingerprint.ts";
export { foldText, normalizeText } from "./normalize.ts";
export {
  articleLabel,
  closestIn,
  type Paragraph,
  paragraphRange,
  paragraphs,
} from "./paragraphs.ts";
export {
  type ParagraphSelector,
  type Selector,
  type StoredSelector,
  type TextPositionSelector,
  type TextQuoteSelector,
  withContext,
} from "./selectors.ts";
