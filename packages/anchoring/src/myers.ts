/**
 * Myers' bit-parallel approximate string matching, with the same results as `approx-string-match`
 * (whose algorithm this follows: Myers 1999, blocks of 32 pattern characters, with Šošić's
 * branch-free step), but shaped for searching one pattern in many small windows of one large text:
 *
 * - the pattern's bit masks are computed once (`compilePattern`), not once per window;
 * - a window is given as [from, to) of the whole text, not as a sliced copy;
 * - match starts are found by reading the text backwards with the reversed pattern, not by
 *   reversing copies of the text.
 *
 * Like `approx-string-match`, a search reports only the matches with the lowest error count found
 * in the window (each with its end, and the start that makes the match longest).
 */

/** A pattern prepared for searching: per-character bit masks of its positions, in 32-bit blocks. */
export interface CompiledPattern {
  pattern: string;
  /** Number of 32-character blocks minus one. */
  bMax: number;
  /** Masks for character codes < 256, by code (an array lookup, not a Map, for most text). */
  ascii: Uint32Array[];
  /** Masks for other characters of the pattern. */
  other: Map<number, Uint32Array>;
  /** Mask for characters that do not occur in the pattern. */
  none: Uint32Array;
  /** The bit of the pattern's last row in its block, per block. */
  lastRowMask: Uint32Array;
}

const W = 32;

export function compilePattern(pattern: string): CompiledPattern {
  const bMax = Math.max(0, Math.ceil(pattern.length / W) - 1);
  const none = new Uint32Array(bMax + 1);
  const ascii = new Array<Uint32Array>(256).fill(none);
  const other = new Map<number, Uint32Array>();
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    let mask = code < 256 ? ascii[code] : other.get(code);
    if (!mask || mask === none) {
      mask = new Uint32Array(bMax + 1);
      if (code < 256) ascii[code] = mask;
      else other.set(code, mask);
    }
    const b = (i / W) | 0;
    mask[b] = ((mask[b] as number) | (1 << (i % W))) >>> 0;
  }
  const lastRowMask = new Uint32Array(bMax + 1).fill(1 << 31);
  if (pattern.length > 0) lastRowMask[bMax] = 1 << ((pattern.length - 1) % W);
  return { pattern, bMax, ascii, other, none, lastRowMask };
}

/** Ends of the lowest-error matches: `ends` count characters read from where the scan began. */
interface Ends {
  ends: number[];
  errors: number;
}

function oneIfNotZero(n: number): number {
  return ((n | -n) >> 31) & 1;
}

/**
 * The lowest-error match ends of `pat` in text[from, to) with at most maxErrors errors, reading
 * forwards from `from`, or with `backwards` from `to - 1` down to `from` (then the pattern must be
 * the reversed one). Mirrors findMatchEnds() of approx-string-match step for step, including its
 * lowering of maxErrors as better matches appear.
 */
function findEnds(
  text: string,
  pat: CompiledPattern,
  maxErrorsIn: number,
  from: number,
  to: number,
  backwards: boolean,
): Ends {
  const m = pat.pattern.length;
  const out: Ends = { ends: [], errors: 0 };
  if (m === 0) return out;
  let maxErrors = Math.min(maxErrorsIn, m);
  const { bMax, ascii, other, none, lastRowMask } = pat;
  const P = new Uint32Array(bMax + 1);
  const M = new Uint32Array(bMax + 1);
  const score = new Uint32Array(bMax + 1);
  let y = Math.max(0, Math.ceil(maxErrors / W) - 1);
  for (let b = 0; b <= y; b++) score[b] = (b + 1) * W;
  score[bMax] = m;
  for (let b = 0; b <= y; b++) {
    P[b] = ~0;
    M[b] = 0;
  }
  const n = to - from;
  for (let step = 0; step < n; step++) {
    const code = text.charCodeAt(backwards ? to - 1 - step : from + step);
    const peq = code < 256 ? (ascii[code] as Uint32Array) : (other.get(code) ?? none);
    // One column of the DP matrix, a block of 32 rows at a time (advanceBlock, inlined).
    let carry = 0;
    for (let b = 0; b <= y; b++) {
      carry = advance(P, M, lastRowMask, peq, b, carry);
      score[b] = (score[b] as number) + carry;
    }
    if (
      (score[y] as number) - carry <= maxErrors &&
      y < bMax &&
      ((peq[y + 1] as number) & 1 || carry < 0)
    ) {
      y += 1;
      P[y] = ~0;
      M[y] = 0;
      let maxBlockScore: number;
      if (y === bMax) {
        const remainder = m % W;
        maxBlockScore = remainder === 0 ? W : remainder;
      } else {
        maxBlockScore = W;
      }
      score[y] =
        (score[y - 1] as number) +
        maxBlockScore -
        carry +
        advance(P, M, lastRowMask, peq, y, carry);
    } else {
      while (y > 0 && (score[y] as number) >= maxErrors + W) y -= 1;
    }
    if (y === bMax && (score[y] as number) <= maxErrors) {
      const s = score[y] as number;
      if (s < maxErrors) out.ends.length = 0;
      out.ends.push(step + 1);
      out.errors = s;
      maxErrors = s;
    }
  }
  return out;
}

/** One block step of Myers' algorithm; returns the horizontal delta out of the block's last row. */
function advance(
  P: Uint32Array,
  M: Uint32Array,
  lastRowMask: Uint32Array,
  peqs: Uint32Array,
  b: number,
  hIn: number,
): number {
  let pV = P[b] as number;
  let mV = M[b] as number;
  const hInIsNegative = hIn >>> 31;
  const eq = (peqs[b] as number) | hInIsNegative;
  const xV = eq | mV;
  const xH = (((eq & pV) + pV) ^ pV) | eq;
  let pH = mV | ~(xH | pV);
  let mH = pV & xH;
  const last = lastRowMask[b] as number;
  const hOut = oneIfNotZero(pH & last) - oneIfNotZero(mH & last);
  pH <<= 1;
  mH <<= 1;
  mH |= hInIsNegative;
  pH |= oneIfNotZero(hIn) - hInIsNegative;
  pV = mH | ~(xV | pH);
  mV = pH & xV;
  P[b] = pV;
  M[b] = mV;
  return hOut;
}

export interface ApproxMatch {
  start: number;
  end: number;
  errors: number;
}

/** A pattern compiled forwards and reversed, as approxSearch() needs it. */
export interface SearchPattern {
  forward: CompiledPattern;
  reversed: CompiledPattern;
}

export function searchPattern(pattern: string): SearchPattern {
  let reversed = "";
  for (let i = pattern.length - 1; i >= 0; i--) reversed += pattern[i];
  return { forward: compilePattern(pattern), reversed: compilePattern(reversed) };
}

/**
 * The lowest-error approximate matches (at most maxErrors) of the pattern in text[from, to), as
 * offsets into `text`: what `approx-string-match`'s search(text.slice(from, to), pattern,
 * maxErrors) returns, shifted by `from`.
 */
export function approxSearch(
  text: string,
  pat: SearchPattern,
  maxErrors: number,
  from = 0,
  to = text.length,
): ApproxMatch[] {
  const a = Math.max(0, from);
  const b = Math.min(text.length, to);
  if (b <= a) return [];
  const found = findEnds(text, pat.forward, maxErrors, a, b, false);
  const m = pat.forward.pattern.length;
  const out: ApproxMatch[] = [];
  for (const rel of found.ends) {
    const end = a + rel;
    // The start: read backwards from the end with the reversed pattern and the same error count,
    // and take the longest match.
    const minStart = Math.max(a, end - m - found.errors);
    const back = findEnds(text, pat.reversed, found.errors, minStart, end, true);
    let start = end;
    for (const r of back.ends) if (end - r < start) start = end - r;
    out.push({ start, end, errors: found.errors });
  }
  return out;
}
