/**
 * Where the draft's text is on a page the agency did not mark up for us:
 * the element `data-content` names, else the page's main landmark or single
 * article, else the block holding the most text of its own paragraphs (the
 * page's navigation and footer are many short pieces; a draft is long prose).
 */
export function findContent(doc: Document, selector: string | null): Element | null {
  if (selector) {
    try {
      return doc.querySelector(selector);
    } catch {
      return null;
    }
  }
  const main = doc.querySelector("main, [role=main]");
  if (main && hasText(main, 1)) return main;
  const articles = doc.querySelectorAll("article");
  if (articles.length === 1 && articles[0] && hasText(articles[0], 1)) return articles[0];
  return largestTextBlock(doc.body);
}

function textLength(el: Element): number {
  return (el.textContent ?? "").replace(/\s+/g, "").length;
}

/**
 * The deepest element holding most (80%) of the text that sits in
 * paragraph-like elements outside navigation, header, footer and asides.
 */
function largestTextBlock(body: HTMLElement | null): Element | null {
  if (!body) return null;
  const held = new Map<Element, number>();
  let total = 0;
  for (const p of body.querySelectorAll("p, li, pre, td, h1, h2, h3, h4, blockquote, dd")) {
    if (p.closest("nav, header, footer, aside, script, style, template")) continue;
    const n = textLength(p);
    total += n;
    for (let a = p.parentElement; a && a !== body.parentElement; a = a.parentElement)
      held.set(a, (held.get(a) ?? 0) + n);
  }
  let best: Element = body;
  let bestDepth = 0;
  for (const [el, n] of held) {
    if (n < total * 0.8) continue;
    let depth = 0;
    for (let a = el.parentElement; a; a = a.parentElement) depth++;
    if (depth > bestDepth) {
      best = el;
      bestDepth = depth;
    }
  }
  return best;
}

/**
 * Whether el holds at least `min` non-space characters, reading only as far as
 * it must: a whole draft's textContent is half a megabyte to copy.
 */
export function hasText(el: Element, min: number): boolean {
  const walker = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  let n = 0;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    n += (t.nodeValue ?? "").replace(/\s+/g, "").length;
    if (n >= min) return true;
  }
  return false;
}
