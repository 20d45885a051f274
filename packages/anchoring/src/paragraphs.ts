/**
 * The commentable units of a draft on a page Margin does not control, with keys that survive
 * reloads and unrelated edits. The service computes them on uploaded HTML parsed with happy-dom and
 * the browser clients on the live page, and the two must agree, so everything here depends only on
 * the DOM tree and its text: no layout, no computed style, no randomness.
 */
import { fingerprint } from "./fingerprint.ts";
import { normalizeText } from "./normalize.ts";
import { buildTextIndex, rangeFromOffsets } from "./text-index.ts";

export interface Paragraph {
  key: string;
  element: Element;
  /** Whitespace-collapsed, folded text of the unit. */
  text: string;
  /** For a paragraph inside a <pre> block: its span within element.textContent. */
  range?: { start: number; end: number };
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_NODE = 9;

// Never commentable: machinery, site chrome and embedded content.
const SKIP = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "title",
  "meta",
  "link",
  "nav",
  "header",
  "footer",
  "aside",
  "svg",
  "math",
  "button",
  "select",
  "textarea",
  "input",
  "iframe",
  "object",
  "embed",
  "canvas",
  "audio",
  "video",
  "form",
  "dialog",
  "menu",
]);

// Elements that break text into blocks; a unit is the innermost such element holding text.
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "ul",
  "ol",
  "li",
  "dl",
  "dd",
  "dt",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "td",
  "th",
  "caption",
  "blockquote",
  "pre",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "figure",
  "figcaption",
  "address",
  "details",
  "summary",
  "hr",
  "body",
  "center",
  "fieldset",
  "hgroup",
]);

const HEADING = /^h[1-6]$/;
// Containers whose ids name the page layout rather than a provision.
const LAYOUT = new Set(["html", "body", "main"]);

/**
 * Article numbering as it appears in headings or short label paragraphs: "第 1 條", "第3-1條",
 * "第十条", "Article 12-1", "Art. 5", "§ 648.14", "Section 3", "Sec. 2.1".
 */
const LABEL_PATTERNS: [RegExp, string][] = [
  [
    /^第\s*([0-9０-９〇零一二三四五六七八九十百千]+(?:\s*[-之の]\s*[0-9０-９一二三四五六七八九十]+)?)\s*[條条]/,
    "art",
  ],
  [/^(?:article|art\.)\s*([0-9]+[a-z]?(?:\s*-\s*[0-9]+)?)\b/i, "art"],
  [/^§+\s*([0-9][0-9a-z.\-–]*[0-9a-z])/i, "sec"],
  [/^(?:section|sec\.)\s*([0-9][0-9a-z.-]*[0-9a-z]|[0-9])\b/i, "sec"],
];

/** What every label's normalized text starts with (see LABEL_PATTERNS). */
const LABEL_START = /^[第aA§sS]/;

/**
 * Whether normalizeText(text) could start like a label, from its first visible code point only:
 * every leaf paragraph is tried as a label, and most are long provisions that need no normalizing.
 */
export function mayStartLabel(text: string): boolean {
  return LABEL_START.test(firstNormalized(text));
}

/**
 * normalizeText() of the first code point of text that normalizes to something ("" if none does):
 * what normalizeText(text) starts with, without normalizing all of it.
 */
function firstNormalized(text: string): string {
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const first = normalizeText(text.slice(i, i + width));
    if (first.length > 0) return first;
    i += width;
  }
  return "";
}

/** "art-1", "sec-648.14" for a label text, or null if the text is not an article label. */
export function articleLabel(text: string, whole = false): string | null {
  if (!mayStartLabel(text)) return null;
  const t = normalizeText(text);
  if (t.length === 0 || t.length > 160) return null;
  for (const [re, prefix] of LABEL_PATTERNS) {
    const m = re.exec(t);
    // A paragraph (not a heading) is a label only if it is nothing else: "第十七條規定於本條..."
    // starts like one but is a provision.
    if (whole && m && !/^[\s.:]*$/.test(t.slice(m[0].length))) continue;
    if (m?.[1]) return `${prefix}-${m[1].replace(/\s+/g, "").replace(/[之の]/g, "-")}`;
  }
  return null;
}

function tagOf(el: Element): string {
  return el.localName ?? el.tagName.toLowerCase();
}

/** Hidden by the page itself, judged from attributes only (no computed style: see top). */
function isHidden(el: Element): boolean {
  // Most elements have no attributes at all; reading three by name is slow in happy-dom.
  if (!el.hasAttributes()) return false;
  if (el.hasAttribute("hidden")) return true;
  if (el.getAttribute("aria-hidden") === "true") return true;
  const style = el.getAttribute("style");
  return style !== null && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

function isSkipped(el: Element): boolean {
  return SKIP.has(tagOf(el)) || isHidden(el);
}

/** Text of an element without the parts a reader does not see (scripts, hidden subtrees). */
function visibleText(el: Element): string {
  let out = "";
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE) out += (n as Text).data;
    else if (n.nodeType === ELEMENT_NODE && !isSkipped(n as Element))
      out += visibleText(n as Element);
  }
  return out;
}

/**
 * Work (elements visited, plus text read / TEXT_PER_WORK) between pauses of paragraphsSteps().
 * A pause is only a chance to stop: the caller looks at the clock there and yields the event loop
 * once its budget is spent, so steps are kept to about a millisecond and a slice overruns its
 * budget by at most one. On the Code of Criminal Procedure (Chinese, 1,866 paragraphs) on a busy
 * 2-core EPYC, steps of 256 took up to 42 ms (slices up to 74 ms, past the 50 ms of a long task);
 * steps of 32 take about one.
 */
const STEP = 32;
const TEXT_PER_WORK = 64;

/**
 * Whether each element's subtree holds block elements (so the element is a container, not a
 * unit), for every element under root that is not skipped. A post-order walk with an explicit
 * stack, resumable in slices: nested generators would pay for every pause at every level, and
 * recursion could overflow on a deeply nested page.
 */
class BlockInfoWalk {
  readonly memo = new Map<Element, boolean>();
  private readonly stack: { el: Element; next: Element | null; has: boolean }[];

  constructor(root: Element) {
    this.stack = [{ el: root, next: root.firstElementChild, has: false }];
  }

  /** Visits about `work` elements; true when the walk is complete. */
  step(work: number): boolean {
    const { stack, memo } = this;
    let done = 0;
    while (stack.length > 0 && done < work) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const c = top.next;
      if (c) {
        top.next = c.nextElementSibling;
        if (isSkipped(c)) continue;
        if (BLOCK.has(tagOf(c))) top.has = true;
        stack.push({ el: c, next: c.firstElementChild, has: false });
        continue;
      }
      stack.pop();
      memo.set(top.el, top.has);
      done++;
      // A child holding blocks makes its parent a container as well.
      const parent = stack[stack.length - 1];
      if (parent && top.has) parent.has = true;
    }
    return stack.length === 0;
  }
}

/** Non-whitespace text directly inside el (in text or inline children), outside any block child. */
function hasOwnText(el: Element): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE) {
      if (/\S/.test((n as Text).data)) return true;
    } else if (n.nodeType === ELEMENT_NODE) {
      const c = n as Element;
      if (!isSkipped(c) && !BLOCK.has(tagOf(c)) && /\S/.test(visibleText(c))) return true;
    }
  }
  return false;
}

interface Scope {
  name: string;
  count: number;
}

/** Blank-line separated chunks of a <pre>'s text, as [start, end) spans without edge whitespace. */
export function preChunks(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const sep = /\n[ \t\r\f\v\u00a0]*\n\s*/g;
  let from = 0;
  const push = (a: number, b: number) => {
    const chunk = text.slice(a, b);
    const lead = chunk.length - chunk.trimStart().length;
    const trimmed = chunk.trim();
    if (trimmed.length > 0) out.push({ start: a + lead, end: a + lead + trimmed.length });
  };
  for (let m = sep.exec(text); m; m = sep.exec(text)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return out;
}

/**
 * Commentable units in document order. Keys, by preference: the unit's own id; "<scope>.p<n>"
 * where scope is the nearest article label ("art-1" from "第 1 條" or "Article 1") or id'd
 * container, n the unit's 1-based index within it; else "p-" + a hash of the folded text.
 * Headings are not units (they label them). A key used twice gets "~2", "~3".
 */
export function paragraphs(root: Node): Paragraph[] {
  const steps = paragraphsSteps(root);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * paragraphs() as a generator that pauses every few elements (for anchorAllYielding). Without
 * `withText`, see placedParagraphsSteps().
 */
export function* paragraphsSteps(root: Node, withText = true): Generator<void, Paragraph[]> {
  let start: Element | null;
  if (root.nodeType === DOCUMENT_NODE) {
    const doc = root as Document;
    start = doc.body ?? doc.documentElement;
  } else if (root.nodeType === ELEMENT_NODE) {
    start = root as Element;
  } else {
    return [];
  }
  if (!start) return [];
  const info = new BlockInfoWalk(start);
  while (!info.step(STEP)) yield;
  const walk = new UnitWalk(start, info.memo, withText);
  while (!walk.step(STEP)) yield;
  return walk.out;
}

/** Keys made from a hash of the text ("p-0x4vs5l", "p-0x4vs5l~3"), not from the unit's place. */
export const HASH_KEY = /^p-[0-9a-z]{7}(?:~\d+)?$/;

/**
 * The units whose keys name a place (ids, "art-3.p2"), with the same keys as paragraphs() gives
 * them, and `text` left empty: what re-anchoring by paragraph key needs. Hash keys are left out,
 * which saves normalizing and hashing every unit's text; a unit's key only depends on units with
 * the same key, and a hash-shaped key (even an id) stays hash-shaped with "~n", so leaving them out
 * changes no other key.
 */
export function* placedParagraphsSteps(root: Node): Generator<void, Paragraph[]> {
  return yield* paragraphsSteps(root, false);
}

/**
 * The units under root in document order, with their keys: a pre-order walk with an explicit
 * stack (see BlockInfoWalk), resumable in slices. Each stack frame is one element's remaining
 * children and the scope that applies to them; a label among the children replaces that scope for
 * the siblings after it.
 */
class UnitWalk {
  readonly out: Paragraph[] = [];
  private readonly used = new Map<string, number>();
  private readonly stack: { next: Element | null; scope: Scope | null }[];

  constructor(
    root: Element,
    private readonly memo: Map<Element, boolean>,
    private readonly withText: boolean,
  ) {
    this.stack = [{ next: root.firstElementChild, scope: null }];
  }

  /**
   * Emits a unit. Its text is normalized only when wanted, or when the key has to be made from it
   * (no id, no scope); without `withText` such hash-keyed units are left out.
   */
  private unit(
    c: Element,
    scope: Scope | null,
    raw: () => string,
    own: boolean,
    range?: { start: number; end: number },
  ): void {
    const id = own ? c.getAttribute("id") : null;
    if (!this.withText && !id && !scope) return;
    const text = this.withText || (!id && !scope) ? normalizeText(raw()) : "";
    const key = id || (scope ? `${scope.name}.p${++scope.count}` : `p-${fingerprint(text)}`);
    this.emit(key, range ? { element: c, text, range } : { element: c, text });
  }

  private emit(key: string, p: Omit<Paragraph, "key">): void {
    const seen = this.used.get(key) ?? 0;
    this.used.set(key, seen + 1);
    this.out.push({ key: seen === 0 ? key : `${key}~${seen + 1}`, ...p });
  }

  /** Visits elements until about `work` is done; true when the walk is complete. */
  step(work: number): boolean {
    const { stack } = this;
    let done = 0;
    while (stack.length > 0 && done < work) {
      const frame = stack[stack.length - 1] as (typeof stack)[number];
      const c = frame.next;
      if (!c) {
        stack.pop();
        continue;
      }
      frame.next = c.nextElementSibling;
      done++;
      if (isSkipped(c)) continue;
      const tag = tagOf(c);
      const containsBlocks = this.memo.get(c) ?? false;
      const heading = HEADING.test(tag);
      const raw = heading || !containsBlocks ? visibleText(c) : "";
      done += raw.length / TEXT_PER_WORK;
      // A heading, or a short leaf paragraph that is only a label ("§ 648.2"), opens a scope for
      // what follows it inside the same parent.
      const label = raw ? articleLabel(raw, !heading) : null;
      if (label) {
        frame.scope = { name: label, count: 0 };
        continue;
      }
      if (heading) continue;
      const scope = frame.scope;
      if (tag === "pre") {
        const full = c.textContent ?? "";
        done += full.length / TEXT_PER_WORK;
        for (const r of preChunks(full))
          this.unit(c, scope, () => full.slice(r.start, r.end), false, r);
        continue;
      }
      if (!containsBlocks) {
        if (firstNormalized(raw).length > 0) this.unit(c, scope, () => raw, true);
        continue;
      }
      if (tag !== "main" && hasOwnText(c)) {
        // Mixed content (an <li> with a lead-in sentence and a nested list): the whole element is
        // a unit, and its block children are units too.
        this.unit(c, scope, () => visibleText(c), true);
      }
      const id = c.getAttribute("id");
      const childScope: Scope | null = id && !LAYOUT.has(tag) ? { name: id, count: 0 } : scope;
      stack.push({ next: c.firstElementChild, scope: childScope });
    }
    return stack.length === 0;
  }
}

/** A DOM Range over a paragraph's text (for <pre> paragraphs, just its blank-line-separated part). */
export function paragraphRange(_root: Node, p: Paragraph): Range {
  const doc = p.element.ownerDocument;
  if (!p.range) {
    const range = doc.createRange();
    range.selectNodeContents(p.element);
    return range;
  }
  return rangeFromOffsets(buildTextIndex(p.element), p.range.start, p.range.end);
}

/**
 * What `byNode` holds for `node` or its nearest ancestor: with paragraphs by element, the
 * innermost paragraph holding a node. Asking every paragraph `contains` was a walk of the
 * page's paragraphs per comment (5,000 comments by 1,866 paragraphs on the longest draft).
 */
export function closestIn<T>(node: Node, byNode: ReadonlyMap<Node, T>): T | undefined {
  for (let n: Node | null = node; n; n = n.parentNode) {
    const found = byNode.get(n);
    if (found !== undefined) return found;
  }
  return undefined;
}
