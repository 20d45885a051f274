/** Test helpers: select words in a page, carry the selectors to an edited copy, read the result. */
import { anchor } from "../anchor.ts";
import { describe as describeRange } from "../describe.ts";
import { normalizeText } from "../normalize.ts";
import type { Selector } from "../selectors.ts";
import { buildTextIndex, rangeFromOffsets } from "../text-index.ts";
import { parse } from "./load.ts";

/** A Range over the n-th (0-based) occurrence of `words` in root's text. */
export function rangeOf(root: Node, words: string, occurrence = 0): Range {
  const index = buildTextIndex(root);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = index.text.indexOf(words, at + 1);
    if (at < 0) throw new Error(`"${words}" occurs fewer than ${occurrence + 1} times`);
  }
  return rangeFromOffsets(index, at, at + words.length);
}

export function selectorsFor(html: string, words: string, occurrence = 0): Selector[] {
  const doc = parse(html);
  return describeRange(doc.body, rangeOf(doc.body, words, occurrence));
}

/** Describe `words` in html, then anchor in edited html: the anchored text (or null). */
export function reanchor(
  html: string,
  words: string,
  edited: string,
  occurrence = 0,
): string | null {
  const selectors = selectorsFor(html, words, occurrence);
  const doc = parse(edited);
  const range = anchor(doc.body, selectors);
  return range ? range.toString() : null;
}

/** Compare text as a reader would: whitespace collapsed, dashes/quotes/full-width folded. */
export function same(a: string | null): string | null {
  return a === null ? null : normalizeText(a);
}

export function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}
