/**
 * Where each run of 4 characters (a "gram") occurs in a text, for finding exact occurrences in a
 * whole page quickly. Searching the whole page happens for every annotation whose paragraph moved
 * or was edited (the quote, then each of its pigeonhole pieces): with indexOf each of those scans
 * the ~1 M characters again; with the index it reads the positions of the quote's rarest gram and
 * checks each of them.
 *
 * Grams are hashed into a fixed number of buckets, so a bucket can hold other grams too: every
 * position is verified against the text, and results are exactly indexOf's.
 */

/** Gram length. Shorter patterns are searched with indexOf. */
export const GRAM = 4;
const BUCKET_BITS = 18;
const BUCKETS = 1 << BUCKET_BITS;
/** Ranges shorter than this are scanned with indexOf (the index only pays on long ones). */
const INDEX_MIN_RANGE = 1 << 15;
/** Text positions hashed between pauses of gramIndexSteps(). */
const STEP = 1 << 16;

export interface GramIndex {
  text: string;
  /** Positions of bucket b's grams are positions[offsets[b] .. offsets[b + 1]), ascending. */
  offsets: Int32Array;
  positions: Int32Array;
}

/** Bucket of the gram starting at s[i] (i + GRAM <= s.length). */
function bucketAt(s: string, i: number): number {
  let h = s.charCodeAt(i);
  for (let k = 1; k < GRAM; k++) h = Math.imul(h, 0x9e3779b1) ^ s.charCodeAt(i + k);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> (32 - BUCKET_BITS);
}

export function buildGramIndex(text: string): GramIndex {
  const steps = gramIndexSteps(text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** buildGramIndex() as a generator that pauses every STEP positions (for anchorAllYielding). */
export function* gramIndexSteps(text: string): Generator<void, GramIndex> {
  const n = Math.max(0, text.length - GRAM + 1);
  const buckets = new Int32Array(n);
  const offsets = new Int32Array(BUCKETS + 1);
  for (let i = 0; i < n; i++) {
    const b = bucketAt(text, i);
    buckets[i] = b;
    offsets[b + 1] = (offsets[b + 1] as number) + 1;
    if (i % STEP === STEP - 1) yield;
  }
  for (let b = 0; b < BUCKETS; b++)
    offsets[b + 1] = (offsets[b + 1] as number) + (offsets[b] as number);
  yield;
  const fill = offsets.slice(0, BUCKETS);
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = buckets[i] as number;
    positions[fill[b] as number] = i;
    fill[b] = (fill[b] as number) + 1;
    if (i % STEP === STEP - 1) yield;
  }
  return { text, offsets, positions };
}

/**
 * Calls visit(i) for each start i in [from, to) of an exact occurrence of pattern in text, in
 * ascending order, until visit returns false. Uses the index (built over this same text) when it
 * pays, else indexOf; the results are the same.
 */
export function forEachOccurrence(
  text: string,
  pattern: string,
  from: number,
  to: number,
  visit: (i: number) => boolean,
  index?: GramIndex,
): void {
  const a = Math.max(0, from);
  const b = Math.min(to, text.length);
  if (b <= a) return;
  if (!index || index.text !== text || pattern.length < GRAM || b - a < INDEX_MIN_RANGE) {
    // indexOf on the range only: on the whole text, a pattern absent from a short range would be
    // looked for all the way to the end of the page.
    const win = text.slice(a, Math.min(text.length, b + pattern.length - 1));
    for (let i = win.indexOf(pattern); i >= 0; i = win.indexOf(pattern, i + 1))
      if (!visit(a + i)) return;
    return;
  }
  const { offsets, positions } = index;
  // The pattern's rarest gram, at offset `at` within it.
  let at = 0;
  let lo = 0;
  let hi = 0;
  let bucketEnd = 0;
  let fewest = Number.POSITIVE_INFINITY;
  for (let o = 0; o + GRAM <= pattern.length; o++) {
    const bucket = bucketAt(pattern, o);
    const size = (offsets[bucket + 1] as number) - (offsets[bucket] as number);
    if (size < fewest) {
      fewest = size;
      at = o;
      lo = offsets[bucket] as number;
      hi = offsets[bucket + 1] as number;
      bucketEnd = hi;
    }
  }
  // First position whose occurrence would start at or after a.
  const first = a + at;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((positions[mid] as number) < first) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < bucketEnd; k++) {
    const start = (positions[k] as number) - at;
    if (start >= b) return;
    if (text.startsWith(pattern, start) && !visit(start)) return;
  }
}
