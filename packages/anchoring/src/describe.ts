/** Turning a reader's selection into selectors that survive later edits of the page. */
import { type Paragraph, paragraphs } from "./paragraphs.ts";
import type { Selector } from "./selectors.ts";
import { buildTextIndex, nodeSpan, offsetOf, type TextIndex } from "./text-index.ts";

/** Characters of context stored either side of the quote. */
export const CONTEXT_LENGTH = 32;

function depth(node: Node): number {
  let d = 0;
  for (let n: Node | null = node; n; n = n.parentNode) d++;
  return d;
}

/**
 * The innermost paragraph holding the DOM span from (startNode) to (endNode), text offsets
 * [start, end) of the index; <pre> paragraphs must hold the offsets too.
 */
function paragraphHolding(
  list: Paragraph[],
  index: TextIndex,
  startNode: Node,
  endNode: Node,
  start: number,
  end: number,
): Paragraph | undefined {
  let found: Paragraph | undefined;
  let foundDepth = -1;
  const spans = new Map<Element, number>();
  for (const p of list) {
    const el = p.element;
    if (!(el === startNode || el.contains(startNode)) || !(el === endNode || el.contains(endNode)))
      continue;
    if (p.range) {
      let base = spans.get(el);
      if (base === undefined) {
        base = nodeSpan(index, el)[0];
        spans.set(el, base);
      }
      if (start < base + p.range.start || end > base + p.range.end) continue;
    }
    // The innermost paragraph wins: an item of a nested list over the <li> holding the list.
    const d = depth(el);
    if (d > foundDepth) {
      found = p;
      foundDepth = d;
    }
  }
  return found;
}

/** Key of the commentable paragraph (see paragraphs()) holding a DOM position, if any. */
export function paragraphKeyAt(root: Node, node: Node, offset = 0): string | undefined {
  const index = buildTextIndex(root);
  const at = offsetOf(index, node, offset);
  return paragraphHolding(paragraphs(root), index, node, node, at, at)?.key;
}

/** TextQuote, TextPosition and (when the range sits in one paragraph) Paragraph selectors. */
export function describe(root: Node, range: Range): Selector[] {
  const index = buildTextIndex(root);
  const { text } = index;
  const start = offsetOf(index, range.startContainer, range.startOffset);
  const end = Math.max(start, offsetOf(index, range.endContainer, range.endOffset));
  const out: Selector[] = [
    {
      type: "TextQuoteSelector",
      exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT_LENGTH), start),
      suffix: text.slice(end, end + CONTEXT_LENGTH),
    },
    { type: "TextPositionSelector", start, end },
  ];
  const p = paragraphHolding(
    paragraphs(root),
    index,
    range.startContainer,
    range.endContainer,
    start,
    end,
  );
  if (p) out.push({ type: "ParagraphSelector", key: p.key });
  return out;
}
