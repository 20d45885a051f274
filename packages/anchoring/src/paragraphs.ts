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

/** "art-1", "sec-648.14" for a label text, or null if the text is not an article label. */
export function articleLabel(text: string, whole = false): string | null {
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

/** Elements visited between pauses of paragraphsSteps(). */
const STEP = 128;

/** Whether the subtree holds block elements (so the element is a container, not a unit). */
function* blockInfo(
  el: Element,
  memo: Map<Element, boolean>,
  tick: { n: number },
): Generator<void, boolean> {
  let has = false;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    if (isSkipped(c)) continue;
    const sub = yield* blockInfo(c, memo, tick);
    if (sub || BLOCK.has(tagOf(c))) has = true;
  }
  memo.set(el, has);
  if (++tick.n % STEP === 0) yield;
  return has;
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

/** paragraphs() as a generator that pauses every few elements (for anchorAllYielding). */
export function* paragraphsSteps(root: Node): Generator<void, Paragraph[]> {
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
  const memo = new Map<Element, boolean>();
  const tick = { n: 0 };
  yield* blockInfo(start, memo, tick);
  const out: Paragraph[] = [];
  const used = new Map<string, number>();

  const emit = (key: string, p: Omit<Paragraph, "key">) => {
    const seen = used.get(key) ?? 0;
    used.set(key, seen + 1);
    out.push({ key: seen === 0 ? key : `${key}~${seen + 1}`, ...p });
  };
  const keyFor = (el: Element, scope: Scope | null, text: string, own: boolean): string => {
    const id = own ? el.getAttribute("id") : null;
    if (id) return id;
    if (scope) return `${scope.name}.p${++scope.count}`;
    return `p-${fingerprint(text)}`;
  };

  const visit = function* (el: Element, inherited: Scope | null): Generator<void> {
    let scope = inherited;
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (++tick.n % STEP === 0) yield;
      if (isSkipped(c)) continue;
      const tag = tagOf(c);
      const containsBlocks = memo.get(c) ?? false;
      const raw = HEADING.test(tag) || !containsBlocks ? visibleText(c) : "";
      // A heading, or a short leaf paragraph that is only a label ("§ 648.2"), opens a scope for
      // what follows it inside the same parent.
      const label = raw ? articleLabel(raw, !HEADING.test(tag)) : null;
      if (label) {
        scope = { name: label, count: 0 };
        continue;
      }
      if (HEADING.test(tag)) continue;
      if (tag === "pre") {
        const full = c.textContent ?? "";
        for (const r of preChunks(full)) {
          const text = normalizeText(full.slice(r.start, r.end));
          emit(keyFor(c, scope, text, false), { element: c, text, range: r });
        }
        continue;
      }
      const id = c.getAttribute("id");
      const childScope: Scope | null =
        id && containsBlocks && !LAYOUT.has(tag) ? { name: id, count: 0 } : scope;
      if (!containsBlocks) {
        const text = normalizeText(raw);
        if (text.length > 0) emit(keyFor(c, scope, text, true), { element: c, text });
        continue;
      }
      if (tag !== "main" && hasOwnText(c)) {
        // Mixed content (an <li> with a lead-in sentence and a nested list): the whole element is
        // a unit, and its block children are units too.
        const text = normalizeText(visibleText(c));
        emit(keyFor(c, scope, text, true), { element: c, text });
      }
      yield* visit(c, childScope);
    }
  };
  yield* visit(start, null);
  return out;
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
