/**
 * Text folding for comparison. A draft re-published by an agency routinely changes things a reader
 * does not see as a change: whitespace and line breaks, en/em dashes typed as hyphens, full-width
 * punctuation in Chinese text turned half-width, curly quotes straightened. Folding removes those
 * differences so that they cost nothing when matching.
 *
 * Folding is per code point (not NFKC over the whole string) so that every folded character maps
 * back to an exact span of the original text; that is what lets a match in folded text become a
 * DOM Range over the original words.
 */

const DASHES = /[\u2010-\u2015\u2212\u2043\uFE58\uFE63\uFF0D\u30FC]/;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2035\uFF07]/;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\uFF02\u00AB\u00BB]/;
// Invisible characters that pages insert or drop freely (soft hyphen, zero-width joiners, BOM).
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/;
const SPACE = /\s/;

const cache = new Map<number, string>();

function foldCodePointUncached(ch: string): string {
  if (SPACE.test(ch) || INVISIBLE.test(ch)) return "";
  if (DASHES.test(ch)) return "-";
  if (SINGLE_QUOTES.test(ch)) return "'";
  if (DOUBLE_QUOTES.test(ch)) return '"';
  let out = ch.normalize("NFKC").toLowerCase();
  // NFKC can itself produce dashes, quotes or spaces (e.g. U+2474 "⑴" becomes "(1)").
  if (out !== ch) {
    let again = "";
    for (const c of out) again += c === ch ? c : foldCodePoint(c);
    out = again;
  }
  return out;
}

/** Folded form of one code point: "" for whitespace and invisible characters. */
export function foldCodePoint(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 128) {
    if (cp <= 32 || cp === 127) return "";
    return cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : ch;
  }
  let out = cache.get(cp);
  if (out === undefined) {
    out = foldCodePointUncached(ch);
    cache.set(cp, out);
  }
  return out;
}

/**
 * Folded text for matching: whitespace removed altogether (not just collapsed), because markup
 * changes add or drop the whitespace between block elements and Chinese/Japanese text has no word
 * spaces to rely on; case, dashes, quotes and full-width forms folded.
 */
export function foldText(s: string): string {
  let out = "";
  for (const ch of s) out += foldCodePoint(ch);
  return out;
}

/** Folded text plus, for each folded UTF-16 unit, the span of the original it came from. */
export interface FoldedText {
  text: string;
  /** starts[i]: offset in the original of the code point that produced folded unit i. */
  starts: Int32Array;
  /** ends[i]: offset in the original just after that code point. */
  ends: Int32Array;
}

export function foldWithMap(s: string): FoldedText {
  const steps = foldWithMapSteps(s);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** foldWithMap() as a generator that pauses every 32 K characters (for anchorAllYielding). */
export function* foldWithMapSteps(s: string): Generator<void, FoldedText> {
  let pause = 32768;
  const parts: string[] = [];
  let starts = new Int32Array(Math.max(16, s.length));
  let ends = new Int32Array(starts.length);
  let n = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    let folded: string;
    if (cp < 128) {
      folded =
        cp <= 32 || cp === 127
          ? ""
          : cp >= 65 && cp <= 90
            ? String.fromCharCode(cp + 32)
            : (s[i] as string);
    } else {
      folded = foldCodePoint(s.slice(i, i + width));
    }
    if (folded.length > 0) {
      if (n + folded.length > starts.length) {
        const grown = new Int32Array(starts.length * 2 + folded.length);
        grown.set(starts);
        starts = grown;
        const grownEnds = new Int32Array(grown.length);
        grownEnds.set(ends);
        ends = grownEnds;
      }
      for (let k = 0; k < folded.length; k++) {
        starts[n] = i;
        ends[n] = i + width;
        n++;
      }
      parts.push(folded);
    }
    i += width;
    if (i >= pause) {
      pause += 32768;
      yield;
    }
  }
  return { text: parts.join(""), starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

/**
 * Display-level normalisation: whitespace collapsed to single spaces and trimmed, dashes, quotes
 * and full-width forms folded, case kept. Used for paragraph text handed to callers.
 */
export function normalizeText(s: string): string {
  let out = "";
  let pendingSpace = false;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (c === 32 || (c >= 9 && c <= 13)) {
        pendingSpace = out.length > 0;
        i++;
        continue;
      }
      // A run of visible ASCII is kept as it is.
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d >= 128 || d === 32 || (d >= 9 && d <= 13)) break;
        j++;
      }
      if (pendingSpace) out += " ";
      pendingSpace = false;
      out += s.slice(i, j);
      i = j;
      continue;
    }
    const cp = s.codePointAt(i) ?? c;
    const width = cp > 0xffff ? 2 : 1;
    const mapped = displayFold(cp, s.slice(i, i + width));
    i += width;
    if (mapped === null) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (mapped === "") continue;
    if (pendingSpace) out += " ";
    pendingSpace = false;
    out += mapped;
  }
  return out;
}

const displayCache = new Map<number, string | null>();

/** normalizeText() of one non-ASCII code point: null for whitespace, "" for invisible. */
function displayFold(cp: number, ch: string): string | null {
  let out = displayCache.get(cp);
  if (out === undefined) {
    if (SPACE.test(ch)) out = null;
    else if (INVISIBLE.test(ch)) out = "";
    else if (DASHES.test(ch)) out = "-";
    else if (SINGLE_QUOTES.test(ch)) out = "'";
    else if (DOUBLE_QUOTES.test(ch)) out = '"';
    else out = ch.normalize("NFKC");
    displayCache.set(cp, out);
  }
  return out;
}
