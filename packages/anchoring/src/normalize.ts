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
  const state = newFoldState(s);
  foldUntil(state, s.length);
  return finishFold(state);
}

/** Source characters folded between pauses of foldWithMapSteps() (about a millisecond). */
const FOLD_STEP = 4096;

/** foldWithMap() as a generator that pauses every FOLD_STEP characters (for anchorAllYielding). */
export function* foldWithMapSteps(s: string): Generator<void, FoldedText> {
  const state = newFoldState(s);
  while (state.i < s.length) {
    foldUntil(state, state.i + FOLD_STEP);
    // Decoding as we go keeps the last step as short as the others.
    decodeNew(state);
    yield;
  }
  return finishFold(state);
}

/**
 * Work in progress of a fold. The output goes into typed arrays, not a string per character: on a
 * whole page (~1 M characters) the per-character strings and their join cost more than the folding.
 */
interface FoldState {
  s: string;
  /** Next source offset to fold. */
  i: number;
  /** Folded UTF-16 units written so far. */
  n: number;
  units: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  /** The folded text of units[0, decoded), in pieces. */
  parts: string[];
  decoded: number;
}

function newFoldState(s: string): FoldState {
  // Folding rarely lengthens text (NFKC of a ligature or "⑴" does), so the source length is
  // almost always enough; grow() covers the rest.
  const size = Math.max(16, s.length);
  return {
    s,
    i: 0,
    n: 0,
    units: new Uint16Array(size),
    starts: new Int32Array(size),
    ends: new Int32Array(size),
    parts: [],
    decoded: 0,
  };
}

function grow(st: FoldState, need: number): void {
  const size = st.units.length * 2 + need;
  const units = new Uint16Array(size);
  units.set(st.units);
  const starts = new Int32Array(size);
  starts.set(st.starts);
  const ends = new Int32Array(size);
  ends.set(st.ends);
  st.units = units;
  st.starts = starts;
  st.ends = ends;
}

/** foldedUnit() results besides a UTF-16 unit: folds to nothing, or to more than one unit. */
const NONE = -1;
const MANY = -2;
const UNKNOWN = -3;
/** foldCodePoint() of each BMP code unit (not surrogates) as one unit, NONE or MANY; filled lazily. */
let unitTable: Int32Array | undefined;

function foldedUnit(c: number): number {
  unitTable ??= new Int32Array(0x10000).fill(UNKNOWN);
  let v = unitTable[c] as number;
  if (v === UNKNOWN) {
    const f = foldCodePoint(String.fromCharCode(c));
    v = f.length === 0 ? NONE : f.length === 1 ? f.charCodeAt(0) : MANY;
    unitTable[c] = v;
  }
  return v;
}

/** Folds source characters from st.i up to (about) `stop`, never splitting a surrogate pair. */
function foldUntil(st: FoldState, stop: number): void {
  const s = st.s;
  const end = Math.min(stop, s.length);
  let { i, n, units, starts, ends } = st;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      // ASCII: the bulk of most pages, folded inline.
      if (c > 32 && c !== 127) {
        if (n >= units.length) {
          st.n = n;
          grow(st, 1);
          ({ units, starts, ends } = st);
        }
        units[n] = c >= 65 && c <= 90 ? c + 32 : c;
        starts[n] = i;
        ends[n] = i + 1;
        n++;
      }
      i++;
      continue;
    }
    // Most non-ASCII characters (CJK text) fold to one unit or none: a table lookup, no string.
    if (c < 0xd800 || c > 0xdfff) {
      const one = foldedUnit(c);
      if (one !== MANY) {
        if (one !== NONE) {
          if (n >= units.length) {
            st.n = n;
            grow(st, 1);
            ({ units, starts, ends } = st);
          }
          units[n] = one;
          starts[n] = i;
          ends[n] = i + 1;
          n++;
        }
        i++;
        continue;
      }
    }
    const cp = s.codePointAt(i) ?? c;
    const width = cp > 0xffff ? 2 : 1;
    const folded = foldCodePoint(s.slice(i, i + width));
    if (n + folded.length > units.length) {
      st.n = n;
      grow(st, folded.length);
      ({ units, starts, ends } = st);
    }
    for (let k = 0; k < folded.length; k++) {
      units[n] = folded.charCodeAt(k);
      starts[n] = i;
      ends[n] = i + width;
      n++;
    }
    i += width;
  }
  st.i = i;
  st.n = n;
}

/** Chunk size for String.fromCharCode.apply (far below any engine's argument limit). */
const DECODE_CHUNK = 8192;

const utf16 = typeof TextDecoder === "undefined" ? null : new TextDecoder("utf-16le");

/** Whether units hold a surrogate without its pair (TextDecoder would replace it with U+FFFD). */
function hasLoneSurrogate(units: Uint16Array): boolean {
  for (let k = 0; k < units.length; k++) {
    const u = units[k] as number;
    if (u < 0xd800 || u > 0xdfff) continue;
    if (u <= 0xdbff) {
      const next = units[k + 1] ?? 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        k++;
        continue;
      }
    }
    return true;
  }
  return false;
}

/** Units to string, exactly: TextDecoder (fast) unless a lone surrogate would be replaced. */
export function unitsToString(units: Uint16Array): string {
  if (utf16 && !hasLoneSurrogate(units)) return utf16.decode(units);
  const parts: string[] = [];
  for (let k = 0; k < units.length; k += DECODE_CHUNK) {
    const chunk = units.subarray(k, Math.min(units.length, k + DECODE_CHUNK));
    parts.push(String.fromCharCode.apply(null, chunk as unknown as number[]));
  }
  return parts.join("");
}

/**
 * Turns the units folded since the last call into text. A step never ends inside a surrogate
 * pair (foldUntil stops between code points), so pieces decode on their own.
 */
function decodeNew(st: FoldState): void {
  if (st.decoded === st.n) return;
  st.parts.push(unitsToString(st.units.subarray(st.decoded, st.n)));
  st.decoded = st.n;
}

function finishFold(st: FoldState): FoldedText {
  decodeNew(st);
  return {
    text: st.parts.join(""),
    starts: st.starts.subarray(0, st.n),
    ends: st.ends.subarray(0, st.n),
  };
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
