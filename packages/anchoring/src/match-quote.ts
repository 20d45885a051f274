/**
 * Finding a quote again in (folded) text and deciding whether a candidate is the same words or a
 * guess. A comment on the wrong words is worse than an orphaned one, so every candidate is scored
 * and only those above the thresholds below are returned.
 */
import { type ApproxMatch, approxSearch, searchPattern } from "./myers.ts";
import { finish } from "./steps.ts";

export interface QuoteQuery {
  /** Folded quote, prefix and suffix (see normalize.ts). */
  quote: string;
  prefix: string;
  suffix: string;
  /** Where the quote is expected to start, in folded offsets. */
  hint?: number;
}

export interface Candidate {
  start: number;
  end: number;
  /** 1 - edit distance / quote length. */
  quoteSim: number;
  /** Similarity of the text around the candidate to the stored prefix and suffix, 0..1. */
  contextSim: number;
  /** Edit errors of quote and context together. */
  errors: number;
  /** Ranking score: share of quote and context characters that agree, then nearness to the hint. */
  score: number;
}

/** Largest share of the quote that approximate matching may get wrong. */
export const MAX_ERROR_RATE = 0.25;
/** Minimum 0.7 * quoteSim + 0.3 * contextSim for an approximate match to be accepted. */
export const MIN_FUZZY_CONFIDENCE = 0.75;

/**
 * Context needed before an exact occurrence is trusted: none for a long quote (24 folded
 * characters rarely recur by chance), more for short ones ("勞工" occurs hundreds of times).
 */
export function minContextForExact(quoteLength: number): number {
  if (quoteLength >= 24) return 0;
  if (quoteLength >= 8) return 0.35;
  return 0.6;
}

/** Levenshtein distance, two rows; only used on short strings (context, ~32 characters). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = (prev[j] as number) + 1;
      const ins = (cur[j - 1] as number) + 1;
      cur[j] = Math.min(sub, del, ins);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

function similarity(a: string, b: string): number {
  const len = Math.max(a.length, b.length);
  return len === 0 ? 1 : 1 - editDistance(a, b) / len;
}

/**
 * How well the text around [start, end) agrees with the stored context. An empty stored prefix
 * (the quote opened the document) says nothing either way and counts as agreement.
 */
export function contextSimilarity(text: string, start: number, end: number, q: QuoteQuery): number {
  const parts: [number, number][] = [];
  if (q.prefix.length > 0) {
    const before = text.slice(Math.max(0, start - q.prefix.length), start);
    parts.push([similarity(q.prefix, before), q.prefix.length]);
  }
  if (q.suffix.length > 0) {
    const after = text.slice(end, end + q.suffix.length);
    parts.push([similarity(q.suffix, after), q.suffix.length]);
  }
  if (parts.length === 0) return 1;
  let sum = 0;
  let weight = 0;
  for (const [sim, w] of parts) {
    sum += sim * w;
    weight += w;
  }
  return sum / weight;
}

/**
 * Edit distance between a stored context and the text next to a candidate, where the text side may
 * be longer than the context (inserted words push its far end out): `pattern` is aligned to the
 * start of `text` (suffix) or, with `atEnd`, to its end (prefix), and the rest of `text` is free.
 */
export function affixDistance(pattern: string, text: string, atEnd: boolean): number {
  const n = pattern.length;
  const t = text.length;
  if (n === 0) return 0;
  if (t === 0) return n;
  const p = (i: number) => pattern.charCodeAt(atEnd ? n - 1 - i : i);
  const c = (j: number) => text.charCodeAt(atEnd ? t - 1 - j : j);
  // prev[j]: distance of pattern[0..i) against text[0..j) (read from the anchored side).
  let prev = new Array<number>(t + 1);
  let cur = new Array<number>(t + 1);
  for (let j = 0; j <= t; j++) prev[j] = j;
  let bestLast = n;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const pc = p(i - 1);
    for (let j = 1; j <= t; j++) {
      const sub = (prev[j - 1] as number) + (pc === c(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1);
    }
    [prev, cur] = [cur, prev];
  }
  // The pattern must be used whole; the text may stop anywhere.
  for (let j = 0; j <= t; j++) bestLast = Math.min(bestLast, prev[j] as number);
  return bestLast;
}

/** Edit errors of the stored context against the text around [start, end), and its length. */
export function contextErrors(
  text: string,
  start: number,
  end: number,
  q: QuoteQuery,
): { errors: number; weight: number } {
  let errors = 0;
  const P = q.prefix.length;
  const S = q.suffix.length;
  if (P > 0) {
    const slack = Math.ceil(P / 2);
    errors += affixDistance(q.prefix, text.slice(Math.max(0, start - P - slack), start), true);
  }
  if (S > 0) errors += affixDistance(q.suffix, text.slice(end, end + S + Math.ceil(S / 2)), false);
  return { errors, weight: P + S };
}

export function candidate(
  text: string,
  start: number,
  end: number,
  errors: number,
  q: QuoteQuery,
): Candidate {
  const m = Math.max(1, q.quote.length);
  const quoteSim = Math.max(0, 1 - errors / m);
  const ctx = contextErrors(text, start, end, q);
  // Same as contextSimilarity(), from the same edit distances.
  const contextSim = ctx.weight === 0 ? 1 : 1 - ctx.errors / ctx.weight;
  // Quote and context are compared in one currency (edit errors per character of evidence), so
  // that a typo in the quote with its surroundings intact beats the same words verbatim among
  // other words. Nearness to the expected place only breaks ties.
  const evidence = 1 - (errors + ctx.errors) / (m + ctx.weight);
  const near = q.hint === undefined ? 0 : 1 / (1 + Math.abs(start - q.hint) / 2000);
  return {
    start,
    end,
    quoteSim,
    contextSim,
    errors: errors + ctx.errors,
    score: evidence + 0.001 * near,
  };
}

/** Characters of evidence (folded quote plus stored context) a query carries. */
export function evidenceLength(q: QuoteQuery): number {
  return q.quote.length + q.prefix.length + q.suffix.length;
}

export function isConfident(c: Candidate, quoteLength: number): boolean {
  if (c.quoteSim >= 1) return c.contextSim >= minContextForExact(quoteLength);
  if (c.quoteSim < 1 - MAX_ERROR_RATE) return false;
  // Short quotes: one slip at most, and the surroundings must vouch for it.
  if (quoteLength < 8 && (c.quoteSim < 1 - 1 / quoteLength || c.contextSim < 0.75)) return false;
  return 0.7 * c.quoteSim + 0.3 * c.contextSim >= MIN_FUZZY_CONFIDENCE;
}

export function best(cands: Iterable<Candidate>, quoteLength: number): Candidate | null {
  let top: Candidate | null = null;
  for (const c of cands) {
    if (!isConfident(c, quoteLength)) continue;
    if (!top || c.score > top.score) top = c;
  }
  return top;
}

/**
 * Errors (quote plus context) by which a second, separate candidate may trail the best before the
 * two are taken as indistinguishable: then the text alone cannot say which is meant.
 */
export const AMBIGUITY_MARGIN = 1;

export type Decision =
  | { kind: "found"; candidate: Candidate }
  | { kind: "ambiguous"; candidate: Candidate; other: Candidate }
  | { kind: "none" };

/**
 * The best confident candidate, unless another confident candidate that does not overlap it is
 * (nearly) as good by the text: then "ambiguous" and the caller orphans rather than guess. With
 * `preferNear`, a tie is resolved for the candidate clearly nearer the expected place.
 */
export function decide(cands: Iterable<Candidate>, quoteLength: number, hint?: number): Decision {
  const ok: Candidate[] = [];
  for (const c of cands) if (isConfident(c, quoteLength)) ok.push(c);
  if (ok.length === 0) return { kind: "none" };
  ok.sort((a, b) => b.score - a.score);
  const top = ok[0] as Candidate;
  for (let i = 1; i < ok.length; i++) {
    const c = ok[i] as Candidate;
    if (c.start < top.end && top.start < c.end) continue; // the same place, another alignment
    if (c.errors - top.errors > AMBIGUITY_MARGIN) break;
    if (hint !== undefined) {
      const dTop = Math.abs(top.start - hint);
      const dOther = Math.abs(c.start - hint);
      if (dTop * 4 + 16 <= dOther) continue;
    }
    return { kind: "ambiguous", candidate: top, other: c };
  }
  return { kind: "found", candidate: top };
}

/**
 * Where the stored context says a fuzzy candidate begins and ends. Myers' algorithm may let a quote
 * "absorb" inserted or changed characters at its edges (a substitution is as cheap as the insertion
 * it hides); when the nearest characters of the stored prefix (suffix) still stand right next to
 * the candidate but not exactly at its edge, the edge is moved to them, and the candidate is kept
 * only if the quote still fits within the error budget there.
 */
export function refineEdges(text: string, c: Candidate, q: QuoteQuery): Candidate | null {
  const m = q.quote.length;
  const k = maxErrorsFor(m);
  const reach = k + 2;
  let s = c.start;
  let e = c.end;
  const tail = q.prefix.slice(-8);
  if (tail.length >= 4) {
    let bestEnd = -1;
    const from = Math.max(0, s - reach - tail.length);
    const win = text.slice(from, s + reach);
    for (let i = win.indexOf(tail); i >= 0; i = win.indexOf(tail, i + 1)) {
      const endAt = from + i + tail.length;
      if (bestEnd < 0 || Math.abs(endAt - s) < Math.abs(bestEnd - s)) bestEnd = endAt;
    }
    if (bestEnd >= 0 && bestEnd < e) s = bestEnd;
  }
  const head = q.suffix.slice(0, 8);
  if (head.length >= 4) {
    let bestStart = -1;
    const from = Math.max(s, e - reach);
    const win = text.slice(from, e + reach + head.length);
    for (let i = win.indexOf(head); i >= 0; i = win.indexOf(head, i + 1)) {
      const at = from + i;
      if (bestStart < 0 || Math.abs(at - e) < Math.abs(bestStart - e)) bestStart = at;
    }
    if (bestStart > s) e = bestStart;
  }
  if (s === c.start && e === c.end) return c;
  const errors = editDistance(q.quote, text.slice(s, e));
  if (errors > k) return null;
  return candidate(text, s, e, errors, q);
}

/**
 * Calls visit(i) for each start i in [from, to) of an exact occurrence of pattern, ascending, until
 * visit returns false. Searches a slice of the range: indexOf on the whole text, for a pattern
 * absent from a short range near the old place, would look all the way to the end of the page.
 */
export function forEachOccurrence(
  text: string,
  pattern: string,
  from: number,
  to: number,
  visit: (i: number) => boolean,
): void {
  const a = Math.max(0, from);
  const b = Math.min(to, text.length);
  if (b <= a || pattern.length === 0) return;
  const win = text.slice(a, Math.min(text.length, b + pattern.length - 1));
  for (let i = win.indexOf(pattern); i >= 0; i = win.indexOf(pattern, i + 1))
    if (!visit(a + i)) return;
}

/**
 * Units of work (a candidate scored, a window searched: microseconds each) between pauses of the
 * *Steps searches; a whole-page search can have thousands.
 */
const WORK_PER_STEP = 256;

/** Exact occurrences of the quote starting within [from, to), at most `limit` of them. */
export function exactCandidates(
  text: string,
  q: QuoteQuery,
  from = 0,
  to = text.length,
  limit = 2000,
): Candidate[] {
  return finish(exactCandidatesSteps(text, q, from, to, limit));
}

/** exactCandidates() pausing every WORK_PER_STEP candidates. */
export function* exactCandidatesSteps(
  text: string,
  q: QuoteQuery,
  from = 0,
  to = text.length,
  limit = 2000,
): Generator<void, Candidate[]> {
  const starts: number[] = [];
  forEachOccurrence(text, q.quote, from, to, (i) => starts.push(i) < limit);
  const out: Candidate[] = [];
  for (const i of starts) {
    out.push(candidate(text, i, i + q.quote.length, 0, q));
    if (out.length % WORK_PER_STEP === 0) yield;
  }
  return out;
}

export function maxErrorsFor(quoteLength: number): number {
  return Math.floor(quoteLength * MAX_ERROR_RATE);
}

/**
 * Stretches of text[from, to) that can hold the quote with at most k errors: k errors leave at
 * least one of k + 1 disjoint pieces of the quote intact, so only the surroundings of the pieces'
 * exact occurrences need the (much slower) approximate search. One stretch per occurrence (not
 * merged: each is searched on its own, so that a verbatim copy nearby cannot hide a near one), or
 * null when the pieces are too short or too common for this to pay.
 */
export function candidateWindows(
  text: string,
  quote: string,
  k: number,
  from = 0,
  to = text.length,
): [number, number][] | null {
  const m = quote.length;
  const pieceLength = Math.floor(m / (k + 1));
  if (pieceLength < 2) return null;
  const a = Math.max(0, from);
  const b = Math.min(text.length, to);
  const seen = new Set<number>();
  const out: [number, number][] = [];
  for (let p = 0; p <= k; p++) {
    const piece = quote.slice(p * pieceLength, (p + 1) * pieceLength);
    const visit = (i: number): boolean => {
      const start = Math.max(a, i - p * pieceLength - k);
      if (seen.has(start)) return true;
      seen.add(start);
      out.push([start, Math.min(text.length, start + m + 2 * k)]);
      return out.length <= MAX_WINDOWS;
    };
    forEachOccurrence(text, piece, a, b, visit);
    if (out.length > MAX_WINDOWS) return null;
  }
  return out;
}

const MAX_WINDOWS = 4000;

/** An approximate occurrence: [start, end) of the text and its edit errors. */
export type Match = ApproxMatch;

/**
 * Occurrences of pattern with at most k errors starting within [from, to) of text: the best
 * alignment at each place (Myers' algorithm in the candidate windows), not only the best places.
 * Without candidate windows (pattern pieces too short or common), one search over the range when
 * `wholeIfCommon`, which reports only the best places; else nothing.
 */
export function approxAll(
  text: string,
  pattern: string,
  k: number,
  from = 0,
  to = text.length,
  wholeIfCommon = true,
): Match[] {
  return finish(approxAllSteps(text, pattern, k, from, to, wholeIfCommon));
}

/** approxAll() pausing every WORK_PER_STEP windows. */
export function* approxAllSteps(
  text: string,
  pattern: string,
  k: number,
  from = 0,
  to = text.length,
  wholeIfCommon = true,
): Generator<void, Match[]> {
  const a = Math.max(0, from);
  const b = Math.min(text.length, to);
  const m = pattern.length;
  if (b - a <= 0 || m === 0) return [];
  const out: Match[] = [];
  const windows = candidateWindows(text, pattern, k, a - k, b + k);
  if (!windows && !wholeIfCommon) return out;
  // Compiled once for all windows (there can be thousands).
  const pat = searchPattern(pattern);
  if (windows) {
    for (let w = 0; w < windows.length; w++) {
      const [s, e] = windows[w] as [number, number];
      out.push(...approxSearch(text, pat, k, s, e + k));
      if (w % WORK_PER_STEP === WORK_PER_STEP - 1) yield;
    }
  } else {
    out.push(...approxSearch(text, pat, k, a, b + m + k));
  }
  return out;
}

/**
 * Approximate occurrences of the quote (Myers' bit-parallel algorithm) starting within [from, to),
 * with at most maxErrors errors each: the best alignment at every place it occurs, not only the
 * best places overall.
 */
export function fuzzyCandidates(
  text: string,
  q: QuoteQuery,
  from = 0,
  to = text.length,
  maxErrors = maxErrorsFor(q.quote.length),
  wholeIfCommon = true,
): Candidate[] {
  return finish(fuzzyCandidatesSteps(text, q, from, to, maxErrors, wholeIfCommon));
}

/** fuzzyCandidates() pausing every WORK_PER_STEP windows searched or candidates scored. */
export function* fuzzyCandidatesSteps(
  text: string,
  q: QuoteQuery,
  from = 0,
  to = text.length,
  maxErrors = maxErrorsFor(q.quote.length),
  wholeIfCommon = true,
): Generator<void, Candidate[]> {
  const a = Math.max(0, from);
  const b = Math.min(text.length, to);
  const m = q.quote.length;
  if (b - a <= 0 || m === 0) return [];
  const found = new Map<string, Candidate>();
  const matches = yield* approxAllSteps(text, q.quote, maxErrors, a, b, wholeIfCommon);
  let scored = 0;
  for (const match of matches) {
    const key = `${match.start}:${match.end}`;
    if (found.has(key)) continue;
    const c = candidate(text, match.start, match.end, match.errors, q);
    found.set(key, refineEdges(text, c, q) as Candidate);
    if (++scored % WORK_PER_STEP === 0) yield;
  }
  const out: Candidate[] = [];
  for (const c of found.values()) if (c) out.push(c);
  return out;
}
