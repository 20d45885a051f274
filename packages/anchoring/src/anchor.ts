/**
 * Re-attaching stored selectors to the current page. Cheapest evidence first: the old position
 * still holding the quote, then the quote verbatim (after folding), then approximate matches near
 * the old position or in the paragraph with the same key, then approximate matches anywhere. Each
 * stage returns only a confident candidate (match-quote.ts); when none is, the annotation is an
 * orphan.
 */

import {
  approxAll,
  type Candidate,
  candidate,
  decide,
  editDistance,
  evidenceLength,
  exactCandidatesSteps,
  fuzzyCandidatesSteps,
  maxErrorsFor,
  type QuoteQuery,
} from "./match-quote.ts";
import { type FoldedText, foldText, foldWithMap, foldWithMapSteps } from "./normalize.ts";
import { HASH_KEY, type Paragraph, paragraphsSteps, placedParagraphsSteps } from "./paragraphs.ts";
import { findSelector, type Selector, type TextPositionSelector } from "./selectors.ts";
import { finish } from "./steps.ts";
import { buildTextIndex, rangeFromOffsets, type TextIndex, textIndexSteps } from "./text-index.ts";

/** Folded characters either side of the expected position searched before the whole text. */
const WINDOW = 4096;

/** State shared by all annotations anchored in one pass over one page. */
export class AnchorContext {
  readonly index: TextIndex;
  private foldedText: FoldedText | undefined;
  private paras: Map<string, Paragraph> | undefined;
  /** Shift of the last annotation found (new start - stored start), tried before searching. */
  delta = 0;

  /** `index`: the root's text index, when already built (in steps, by anchorAllYielding). */
  constructor(
    readonly root: Node,
    index?: TextIndex,
  ) {
    this.index = index ?? buildTextIndex(root);
  }

  get folded(): FoldedText {
    this.foldedText ??= foldWithMap(this.index.text);
    return this.foldedText;
  }

  /**
   * Everything the search may need, built in steps so that the yielding variant can pause. Only
   * started by the first annotation that its stored position does not place: on an unchanged page
   * nothing needs folding.
   */
  *prepare(): Generator<void> {
    this.foldedText ??= yield* foldWithMapSteps(this.index.text);
    if (!this.paras) {
      const list = yield* placedParagraphsSteps(this.root);
      this.paras = new Map();
      for (const p of list) this.paras.set(p.key, p);
    }
  }

  /** Folded offset of the first folded character at or after a raw offset. */
  toFolded(raw: number): number {
    const { starts } = this.folded;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) < raw) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  toRaw(start: number, end: number): [number, number] {
    const { starts, ends } = this.folded;
    return [starts[start] as number, ends[end - 1] as number];
  }

  /** Folded [start, end) of the paragraph with this key, if the page still has one. */
  paragraphSpan(key: string): [number, number] | null {
    if (!this.paras) finish(this.prepare());
    const p = this.paras?.get(key);
    if (!p) return null;
    const span = this.elementSpan(p.element);
    if (!span) return null;
    let [s, e] = span;
    if (p.range) {
      e = s + p.range.end;
      s += p.range.start;
    }
    return [this.toFolded(s), this.toFolded(e)];
  }

  private nodeIndex: Map<Node, number> | undefined;

  /**
   * Raw [start, end) of an element's text: from its first to its last text node, found by walking
   * down its first and last children (no compareDocumentPosition: slow in happy-dom).
   */
  private elementSpan(el: Node): [number, number] | null {
    if (!this.nodeIndex) {
      const map = new Map<Node, number>();
      const { nodes } = this.index;
      for (let i = 0; i < nodes.length; i++) map.set(nodes[i] as Node, i);
      this.nodeIndex = map;
    }
    const map = this.nodeIndex;
    const { starts, nodes } = this.index;
    const edge = (last: boolean): number | undefined => {
      // Depth-first from one end until a text node of the index is met.
      const stack: Node[] = [el];
      while (stack.length > 0) {
        const n = stack.pop() as Node;
        const i = map.get(n);
        if (i !== undefined) return i;
        const kids = n.childNodes;
        if (last) for (let k = 0; k < kids.length; k++) stack.push(kids[k] as Node);
        else for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k] as Node);
      }
      return undefined;
    };
    const first = edge(false);
    const last = edge(true);
    if (first === undefined || last === undefined) return null;
    return [starts[first] as number, (starts[last] as number) + (nodes[last] as Text).data.length];
  }
}

type Found = [number, number] | null;

function rawContextOk(text: string, start: number, end: number, prefix: string, suffix: string) {
  // Cheap check on the untouched text: the stored context's nearest characters are still there.
  const p = prefix.slice(-8);
  const s = suffix.slice(0, 8);
  return text.slice(start - p.length, start) === p || text.slice(end, end + s.length) === s;
}

/**
 * The search as a generator so that the yielding variant can pause between expensive steps; the
 * synchronous functions simply run it to the end.
 */
export function* anchorSteps(
  ctx: AnchorContext,
  selectors: readonly Selector[],
): Generator<void, Found> {
  const quote = findSelector(selectors, "TextQuoteSelector");
  const position = findSelector(selectors, "TextPositionSelector");
  const para = findSelector(selectors, "ParagraphSelector");
  const text = ctx.index.text;

  if (!quote) {
    // Nothing to verify against: trust the position only while it still fits the text.
    if (
      position &&
      position.start >= 0 &&
      position.end <= text.length &&
      position.start <= position.end
    ) {
      return [position.start, position.end];
    }
    return null;
  }
  const exact = quote.exact;
  const prefix = quote.prefix ?? "";
  const suffix = quote.suffix ?? "";

  // 1. The stored position (or the position shifted like the previous annotation's) still holds
  //    the quote verbatim, next to the same characters.
  if (position && exact.length > 0) {
    for (const d of ctx.delta === 0 ? [0] : [0, ctx.delta]) {
      const s = position.start + d;
      if (s < 0 || s + exact.length > text.length) continue;
      if (text.startsWith(exact, s) && rawContextOk(text, s, s + exact.length, prefix, suffix)) {
        ctx.delta = d;
        return [s, s + exact.length];
      }
    }
  }

  yield* ctx.prepare();
  const q: QuoteQuery = {
    quote: foldText(exact),
    prefix: foldText(prefix),
    suffix: foldText(suffix),
  };
  // Too little text to tell these words from any others (a lone "(3" between blank lines).
  if (q.quote.length === 0 || evidenceLength(q) < MIN_EVIDENCE) return null;
  const ft = ctx.folded.text;
  if (position) q.hint = ctx.toFolded(position.start + ctx.delta);
  /** A find near the old place also tells where the next annotations have gone. */
  const done = (c: Candidate): Found => {
    const [s, e] = ctx.toRaw(c.start, c.end);
    if (position && q.hint !== undefined && Math.abs(c.start - q.hint) <= WINDOW)
      ctx.delta = s - position.start;
    return [s, e];
  };
  const len = q.quote.length;
  const margin = len + maxErrorsFor(len);
  /**
   * Exact occurrences in [from, to); approximate ones too unless an exact one is clean. Where the
   * stored neighbours still stand around a gap (a "slot"), only candidates in a slot count.
   */
  const around = function* (from: number, to: number): Generator<void, Candidate[]> {
    const cands = yield* exactCandidatesSteps(ft, q, from, to);
    if (!cands.some((c) => c.contextSim >= CLEAN_CONTEXT))
      cands.push(...(yield* fuzzyCandidatesSteps(ft, q, from - margin, to + margin)));
    // When the neighbours stand, what lies between them is the place: those words are the
    // answer if they are close enough to the quote, and nothing else is.
    const reach = margin + CONTEXT_REACH;
    const slots = slotsIn(ft, q, from - reach, to + reach);
    if (slots.length > 0) {
      const k = maxErrorsFor(len);
      const out: Candidate[] = [];
      for (const [a, b] of slots) {
        if (b - a > len + k || b - a < len - k) continue;
        const same = cands.find((c) => c.start === a && c.end === b);
        out.push(same ?? candidate(ft, a, b, editDistance(q.quote, ft.slice(a, b)), q));
      }
      return out;
    }
    return cands;
  };

  // 2. Within the paragraph with the same key: the strongest evidence of place there is, when the
  //    key names the paragraph by its position (an id, "art-3.p2"); a content-hash key only says
  //    that some paragraph had these words.
  if (para && !HASH_KEY.test(para.key)) {
    const span = ctx.paragraphSpan(para.key);
    if (span) {
      const d = decide(yield* around(span[0], span[1]), len, q.hint);
      if (d.kind === "found") return done(d.candidate);
      if (d.kind === "ambiguous") return null;
    }
    yield;
  }

  // 3. Near the expected place: verbatim, else approximately.
  if (q.hint !== undefined) {
    const d = decide(yield* around(q.hint - WINDOW, q.hint + WINDOW), len, q.hint);
    // Shorter neighbours (8 characters) standing around a gap nearer the expected place than the
    // candidate: the words there were edited, and the candidate is a copy of them elsewhere.
    const loose = slotsIn(ft, q, q.hint - WINDOW, q.hint + WINDOW, 8);
    if (d.kind === "found") {
      const c = d.candidate;
      const slot = nearestSlot(loose, q.hint);
      const distance = (a: number, b: number) =>
        (q.hint as number) < a ? a - (q.hint as number) : Math.max(0, (q.hint as number) - b);
      if (
        slot &&
        !(c.start < slot[1] && slot[0] < c.end) &&
        distance(slot[0], slot[1]) < distance(c.start, c.end)
      )
        return null;
      return done(c);
    }
    if (d.kind === "ambiguous") return null;
    // The words' old place is still there, between the same neighbours, but they changed beyond
    // recognition: whatever matches elsewhere is other words.
    if (loose.length > 0) return null;
    yield;
    // Likewise when both neighbours, edited, still stand near there about a quote's length apart.
    if (fuzzySlotRemains(ft, q)) return null;
  }
  yield;

  // 4. Anywhere: verbatim, else with at most FAR_ERROR_RATE of the quote wrong. Words that moved
  //    must be recognisable on their own, and stand once.
  const far = decide(yield* exactCandidatesSteps(ft, q), len, q.hint);
  if (far.kind === "found") return done(far.candidate);
  if (far.kind === "ambiguous") return null;
  const k = Math.floor(len * FAR_ERROR_RATE);
  if (k === 0) return null;
  yield;
  // Only where an exact piece of the quote stands (a quote made of common pieces is not searched).
  const d = decide(yield* fuzzyCandidatesSteps(ft, q, 0, ft.length, k, false), len, q.hint);
  return d.kind === "found" ? done(d.candidate) : null;
}

/** Folded characters of each neighbour that must stand for a slot. */
const SLOT_SIDE = 12;
/** Folded characters of stored context beyond a region that may still belong to its slot. */
const CONTEXT_REACH = 40;
/** An exact occurrence with this much context agreement needs no approximate rivals. */
const CLEAN_CONTEXT = 0.9;
/** Folded characters of quote plus context below which nothing but the stored position is used. */
const MIN_EVIDENCE = 12;
/** Largest share of the quote that may be wrong for a match away from its old place. */
const FAR_ERROR_RATE = 0.1;

function fuzzySlotRemains(ft: string, q: QuoteQuery): boolean {
  if (q.hint === undefined || q.prefix.length < 8 || q.suffix.length < 8) return false;
  const from = q.hint - WINDOW;
  const to = q.hint + WINDOW;
  const kp = maxErrorsFor(q.prefix.length);
  const ks = maxErrorsFor(q.suffix.length);
  const gap = 2 * q.quote.length + 16;
  for (const p of approxAll(ft, q.prefix, kp, from, to)) {
    const near = approxAll(ft, q.suffix, ks, p.end - ks, p.end + gap + ks);
    if (near.length > 0) return true;
  }
  return false;
}

/** The slot closest to the expected place (the first one without a hint). */
export function nearestSlot(
  slots: [number, number][],
  hint?: number,
): [number, number] | undefined {
  if (hint === undefined) return slots[0];
  let best: [number, number] | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const slot of slots) {
    const d = hint < slot[0] ? slot[0] - hint : hint > slot[1] ? hint - slot[1] : 0;
    if (d < bestDistance) {
      best = slot;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Places in text[from, to) where the stored prefix's last characters are still followed, within
 * about the quote's length, by the suffix's first characters: [end of prefix, start of suffix).
 */
function slotsIn(
  ft: string,
  q: QuoteQuery,
  from: number,
  to: number,
  side = SLOT_SIDE,
): [number, number][] {
  const tail = q.prefix.slice(-side);
  const head = q.suffix.slice(0, side);
  if (tail.length < 6 || head.length < 6) return [];
  const base = Math.max(0, from);
  const win = ft.slice(base, Math.max(base, to));
  const gap = 2 * q.quote.length + 16;
  const out: [number, number][] = [];
  for (let i = win.indexOf(tail); i >= 0; i = win.indexOf(tail, i + 1)) {
    const j = win.indexOf(head, i + tail.length);
    if (j >= 0 && j - (i + tail.length) <= gap) out.push([base + i + tail.length, base + j]);
  }
  return out;
}

function toRange(ctx: AnchorContext, found: Found): Range | null {
  return found ? rangeFromOffsets(ctx.index, found[0], found[1]) : null;
}

/** The Range the selectors describe on the current page, or null if it cannot be found safely. */
export function anchor(root: Node, selectors: Selector[]): Range | null {
  const ctx = new AnchorContext(root);
  return toRange(ctx, finish(anchorSteps(ctx, selectors)));
}

/** Order in which to anchor a batch: by stored position, so that each shift informs the next. */
function batchOrder(list: readonly Selector[][]): number[] {
  const pos = list.map(
    (s) => findSelector(s, "TextPositionSelector")?.start ?? Number.MAX_SAFE_INTEGER,
  );
  return list.map((_, i) => i).sort((a, b) => (pos[a] as number) - (pos[b] as number));
}

/** anchor() for many annotations at once, reading the page's text once. */
export function anchorAll(root: Node, list: Selector[][]): (Range | null)[] {
  const ctx = new AnchorContext(root);
  const out: (Range | null)[] = new Array(list.length).fill(null);
  for (const i of batchOrder(list))
    out[i] = toRange(ctx, finish(anchorSteps(ctx, list[i] as Selector[])));
  return out;
}

/**
 * anchorAll() without building DOM Ranges: where each annotation now sits as offsets into the
 * root's text (null for orphans). For server-side use, where Ranges are not needed and (in
 * happy-dom) cost more than the matching itself.
 */
export function locateAll(root: Node, list: Selector[][]): (TextPositionSelector | null)[] {
  const ctx = new AnchorContext(root);
  const out: (TextPositionSelector | null)[] = new Array(list.length).fill(null);
  for (const i of batchOrder(list)) {
    const found = finish(anchorSteps(ctx, list[i] as Selector[]));
    out[i] = found ? { type: "TextPositionSelector", start: found[0], end: found[1] } : null;
  }
  return out;
}

export interface YieldingOptions {
  signal?: AbortSignal;
  /** Milliseconds of work between yields to the event loop. */
  budgetMs?: number;
}

function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs a generator to its end, giving the event loop back every `budgetMs`. */
async function runYielding<T>(gen: Generator<void, T>, options: YieldingOptions): Promise<T> {
  const { signal, budgetMs = 8 } = options;
  signal?.throwIfAborted();
  let sliceStart = performance.now();
  for (;;) {
    const step = gen.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart < budgetMs) continue;
    await yieldToEventLoop();
    signal?.throwIfAborted();
    sliceStart = performance.now();
  }
}

/** paragraphs() in slices: on a draft of 2,000 articles it is hundreds of milliseconds at once. */
export function paragraphsYielding(
  root: Node,
  options: YieldingOptions = {},
): Promise<Paragraph[]> {
  return runYielding(paragraphsSteps(root), options);
}

/**
 * anchorAll() that gives the event loop back every `budgetMs` (default 8) so that a page with a
 * thousand comments stays responsive while they are placed. Rejects with the signal's reason when
 * aborted.
 */
export async function anchorAllYielding(
  root: Node,
  list: Selector[][],
  options: YieldingOptions = {},
): Promise<(Range | null)[]> {
  const { signal, budgetMs = 8 } = options;
  const now = () => performance.now();
  signal?.throwIfAborted();
  const out: (Range | null)[] = new Array(list.length).fill(null);
  // Nothing to place, nothing to read: a consultation without comments costs no walk of the page.
  if (list.length === 0) return out;
  let sliceStart = now();
  const pause = async () => {
    if (now() - sliceStart < budgetMs) return;
    await yieldToEventLoop();
    signal?.throwIfAborted();
    sliceStart = now();
  };
  // Even the one walk over the page is done in slices: on a large page it is tens of milliseconds.
  const walk = textIndexSteps(root);
  let step = walk.next();
  for (; !step.done; step = walk.next()) await pause();
  const ctx = new AnchorContext(root, step.value);
  for (const i of batchOrder(list)) {
    const gen = anchorSteps(ctx, list[i] as Selector[]);
    for (;;) {
      const step = gen.next();
      if (step.done) {
        out[i] = toRange(ctx, step.value);
        break;
      }
      await pause();
    }
    await pause();
  }
  return out;
}
