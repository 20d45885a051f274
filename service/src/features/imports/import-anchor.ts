import { type Selector as AnchorSelector, anchorAll, describe } from "@margin/anchoring";
import { paragraphKeyOf, type Selector } from "@margin/model";
import { withDraftBody } from "../drafts/draft-html.ts";

/** Where an imported annotation lands on the draft, in Margin's selectors; null when it is orphaned. */
export type Landing = { selectors: Selector[]; paragraphKey: string | null } | null;

/** The model lets a quote go without context; the anchoring package wants it spelled out (empty). */
const forAnchoring = (s: Selector): AnchorSelector =>
  s.type === "TextQuoteSelector" ? { ...s, prefix: s.prefix ?? "", suffix: s.suffix ?? "" } : s;

/**
 * Anchors each selector list on a draft version's HTML, as the browser
 * clients would on the live page (the same `anchor` steps, on a happy-dom
 * document parsed like `extractParagraphs` does), and describes each found
 * range in Margin's own selectors (quote, position, paragraph key).
 */
export function anchorOnDraft(html: string | null, lists: Selector[][]): Landing[] {
  if (!html) return lists.map(() => null);
  return withDraftBody(html, (root) => {
    // Only lists with something to look for are anchored; the rest are orphans already.
    const wanted = lists.flatMap((l, i) => (l.length ? [i] : []));
    const ranges = anchorAll(
      root,
      wanted.map((i) => (lists[i] as Selector[]).map(forAnchoring)),
    );
    const out: Landing[] = lists.map(() => null);
    wanted.forEach((listIndex, k) => {
      const range = ranges[k];
      if (!range) return;
      const selectors = describe(root, range);
      out[listIndex] = { selectors, paragraphKey: paragraphKeyOf(selectors) };
    });
    return out;
  });
}
