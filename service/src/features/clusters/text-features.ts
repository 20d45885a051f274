/**
 * Text features for clustering comments: HTML to text, normalisation, tokenisation and shingles.
 *
 * Pure functions, no dependencies beyond Node 20 / modern browsers (`Intl.Segmenter`).
 *
 * Shingles are 32-bit hashes (sorted, unique, in a `Uint32Array`):
 * - spaced scripts (Latin, Cyrillic, Greek, Hangul, ...): word 3-grams;
 * - scripts written without spaces (Han, Kana, Thai, Lao, Khmer, Myanmar): character 2-grams and
 *   3-grams over the run of those characters (spaces and punctuation between them are ignored, so
 *   "我 覺得" and "我覺得" give the same shingles).
 * Texts too short for 3-grams use the n-grams they have (1 or 2 words), so "I agree" still has a
 * shingle and two "I agree" comments fold together.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ensp: "\u2002",
  emsp: "\u2003",
  thinsp: "\u2009",
  ldquo: "\u201c",
  rdquo: "\u201d",
  lsquo: "\u2018",
  rsquo: "\u2019",
  sbquo: "\u201a",
  bdquo: "\u201e",
  laquo: "\u00ab",
  raquo: "\u00bb",
  ndash: "\u2013",
  mdash: "\u2014",
  hellip: "\u2026",
  bull: "\u2022",
  middot: "\u00b7",
  not: "\u00ac",
  copy: "\u00a9",
  reg: "\u00ae",
  trade: "\u2122",
  deg: "\u00b0",
  sect: "\u00a7",
  para: "\u00b6",
  times: "\u00d7",
  divide: "\u00f7",
  euro: "\u20ac",
  pound: "\u00a3",
  cent: "\u00a2",
  yen: "\u00a5",
  shy: "\u00ad",
  agrave: "\u00e0",
  aacute: "\u00e1",
  acirc: "\u00e2",
  auml: "\u00e4",
  ccedil: "\u00e7",
  egrave: "\u00e8",
  eacute: "\u00e9",
  ecirc: "\u00ea",
  euml: "\u00eb",
  iacute: "\u00ed",
  iuml: "\u00ef",
  ntilde: "\u00f1",
  oacute: "\u00f3",
  ouml: "\u00f6",
  uacute: "\u00fa",
  uuml: "\u00fc",
  szlig: "\u00df",
};

/** Decodes HTML character references (named ones from a common table, all numeric ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);/g, (whole, ref: string) => {
    if (ref.charCodeAt(0) === 35 /* # */) {
      const code =
        ref[1] === "x" || ref[1] === "X"
          ? Number.parseInt(ref.slice(2), 16)
          : Number.parseInt(ref.slice(1), 10);
      if (
        !Number.isFinite(code) ||
        code <= 0 ||
        code > 0x10ffff ||
        (code >= 0xd800 && code < 0xe000)
      )
        return "\ufffd";
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Plain text from a comment stored as HTML (the regulations.gov `comment` field: `<br/>`,
 * `<span style=...>`, entities). Block boundaries and `<br>` become line breaks, other tags are
 * dropped, `<script>`/`<style>` content is removed, entities are decoded once. The result is text,
 * to be displayed as text (never re-inserted as HTML).
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/?(p|div|li|ul|ol|tr|h[1-6]|blockquote|section|article|table)\b[^>]*>/gi, "\n")
      .replace(/<[^>]*>/g, ""),
  )
    .replace(/[ \t\f\v\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const PUNCT_OR_SPACE = /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\s]+/gu;
/**
 * Case is folded lower, upper, lower: upper then lower alone left capital sharp s (ẞ) as ß
 * while ß became ss, so "ẞ" and its lower-case copy were different texts.
 */
export function fullNormalize(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKC")
    .replace(PUNCT_OR_SPACE, " ")
    .trim();
}

/**
 * Texts normalizeText may handle without Unicode normalisation: ASCII, plus the characters of
 * U+00A0 and the General Punctuation block that the full path turns into a plain separator
 * (curly quotes, dashes, ellipsis, bullets, typographic spaces; computed, not listed by hand).
 */
export const FAST_PATH_TEXT: RegExp = (() => {
  let extra = "";
  for (let c = 0x00a0; c <= 0x206f; c = c === 0x00a0 ? 0x2000 : c + 1)
    if (fullNormalize(`a${String.fromCharCode(c)}b`) === "a b")
      extra += `\\u${c.toString(16).padStart(4, "0")}`;
  return new RegExp(`^[\\u0000-\\u007f${extra}]*$`);
})();
const NOT_ASCII_ALNUM = /[^a-z0-9]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, on purpose
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Normal form used for comparing comments: NFKC, case-folded (upper then lower case, so "ß" and
 * "SS" agree), punctuation and symbols removed, whitespace collapsed to single spaces, trimmed.
 */
export function normalizeText(text: string): string {
  // Fast path, same result: ASCII plus the General Punctuation block (curly quotes, dashes,
  // ellipsis, bullets, typographic spaces: all separators after NFKC) needs no NFKC or case folding.
  if (FAST_PATH_TEXT.test(text)) return text.toLowerCase().replace(NOT_ASCII_ALNUM, " ").trim();
  return fullNormalize(text);
}

/** Characters of scripts written without spaces between words (shingled by characters). */
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\u3005\u3006\u30fc]/u;
const NO_SPACE_RUN =
  /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\u3005\u3006\u30fc]+)/u;

/** True when the text contains characters of a script written without spaces (CJK, Thai, ...). */
export function hasNoSpaceScript(text: string): boolean {
  return NO_SPACE_SCRIPT.test(text);
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Words of a text (normalised first). Text in scripts without spaces is segmented with
 * `Intl.Segmenter` (Node 20's ICU segments Chinese into dictionary words: "為什麼|民眾|會|選擇");
 * other text is split on the spaces left by `normalizeText` (much faster than the segmenter).
 */
export function tokenize(text: string): string[] {
  const normal = normalizeText(text);
  if (normal === "") return [];
  if (!hasNoSpaceScript(normal)) return normal.split(" ");
  segmenter ??= new Intl.Segmenter("zh", { granularity: "word" });
  const words: string[] = [];
  for (const s of segmenter.segment(normal)) if (s.isWordLike) words.push(s.segment);
  return words;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix2(a: number, b: number): number {
  return fmix32(Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ b);
}

function mix3(a: number, b: number, c: number): number {
  return fmix32(Math.imul(mix2(a, b), 0xcc9e2d51) ^ c);
}

/** 64-bit hash (as 16 hex chars) of the normalised text: the key for exact-duplicate detection. */
export function textKey(normalizedText: string): string {
  const a = fnv1a32(normalizedText);
  const b = fmix32(fnv1a32(normalizedText, 0x9747b28c) ^ normalizedText.length);
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

// Salts so word n-grams and character n-grams of different lengths never share a hash by design.
const SALT_WORD1 = 0x1b873593;
const SALT_WORD2 = 0x2c1b3c6d;
const SALT_CHAR2 = 0x297a2d39;
const SALT_CHAR3 = 0x3c6ef372;

function pushWordShingles(wordHashes: number[], out: number[]): void {
  const n = wordHashes.length;
  if (n === 0) return;
  if (n === 1) {
    out.push(mix2(SALT_WORD1, wordHashes[0] as number));
    return;
  }
  if (n === 2) {
    out.push(mix3(SALT_WORD2, wordHashes[0] as number, wordHashes[1] as number));
    return;
  }
  for (let i = 0; i + 2 < n; i++)
    out.push(
      mix3(wordHashes[i] as number, wordHashes[i + 1] as number, wordHashes[i + 2] as number),
    );
}

function pushCharShingles(run: number[], out: number[]): void {
  const n = run.length;
  if (n === 0) return;
  if (n === 1) {
    out.push(mix2(SALT_CHAR2, run[0] as number));
    return;
  }
  for (let i = 0; i + 1 < n; i++)
    out.push(mix3(SALT_CHAR2, run[i] as number, run[i + 1] as number));
  for (let i = 0; i + 2 < n; i++)
    out.push(mix3(mix2(SALT_CHAR3, run[i] as number), run[i + 1] as number, run[i + 2] as number));
}

/** Sorts and de-duplicates hashes into a `Uint32Array` set. */
export function toShingleSet(hashes: readonly number[] | Uint32Array): Uint32Array {
  const a = (hashes instanceof Uint32Array ? hashes.slice() : Uint32Array.from(hashes)).sort();
  if (a.length < 2) return a;
  let w = 1;
  for (let r = 1; r < a.length; r++) if (a[r] !== a[w - 1]) a[w++] = a[r] as number;
  return w === a.length ? a : a.slice(0, w);
}

let scratch = new Uint32Array(1024);
/** A reused buffer for the shingles of a text of this length (at most one per character). */
function scratchFor(length: number): Uint32Array {
  if (scratch.length < length + 2) scratch = new Uint32Array(length * 2);
  return scratch;
}

/** Word 3-gram shingles of a normalised text with single spaces between words, in one pass. */
function spacedShingles(normal: string): Uint32Array {
  const len = normal.length;
  const buf = scratchFor(len);
  let n = 0;
  let w0 = 0;
  let w1 = 0;
  let words = 0;
  let h = 0x811c9dc5;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? normal.charCodeAt(i) : 32;
    if (c !== 32) {
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    const w2 = h >>> 0;
    h = 0x811c9dc5;
    words++;
    if (words >= 3) buf[n++] = mix3(w0, w1, w2);
    w0 = w1;
    w1 = w2;
  }
  return wordShingleSet(words, w0, w1, buf.subarray(0, n));
}

/** The shingle set once the words are hashed: 3-grams, or the 1- or 2-gram of a shorter text. */
function wordShingleSet(words: number, w0: number, w1: number, trigrams: Uint32Array): Uint32Array {
  if (words === 0) return new Uint32Array(0);
  if (words === 1) return Uint32Array.of(mix2(SALT_WORD1, w1));
  if (words === 2) return Uint32Array.of(mix3(SALT_WORD2, w0, w1));
  return toShingleSet(trigrams);
}

/**
 * `textKey` and `shinglesOfNormalized` of `normalizeText(text)`, in one pass over the raw text and
 * without building the normalised string, for texts on normalizeText's fast path (most comments);
 * null for the others. Equal results by construction and by test (text-features.test.ts).
 */
export function fastFeatures(text: string): { key: string; shingles: Uint32Array } | null {
  if (!FAST_PATH_TEXT.test(text)) return null;
  const len = text.length;
  const buf = scratchFor(len);
  let n = 0;
  let keyA = 0x811c9dc5;
  let keyB = 0x9747b28c;
  let keyLength = 0;
  let words = 0;
  let inWord = false;
  let h = 0;
  let w0 = 0;
  let w1 = 0;
  for (let i = 0; i <= len; i++) {
    let c = i < len ? text.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) c |= 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (!inWord) {
        if (words > 0) {
          keyA = Math.imul(keyA ^ 32, 0x01000193);
          keyB = Math.imul(keyB ^ 32, 0x01000193);
          keyLength++;
        }
        inWord = true;
        h = 0x811c9dc5;
      }
      keyA = Math.imul(keyA ^ c, 0x01000193);
      keyB = Math.imul(keyB ^ c, 0x01000193);
      keyLength++;
      h = Math.imul(h ^ c, 0x01000193);
    } else if (inWord) {
      inWord = false;
      const w2 = h >>> 0;
      words++;
      if (words >= 3) buf[n++] = mix3(w0, w1, w2);
      w0 = w1;
      w1 = w2;
    }
  }
  const a = keyA >>> 0;
  const b = fmix32((keyB >>> 0) ^ keyLength);
  const key = a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
  return { key, shingles: wordShingleSet(words, w0, w1, buf.subarray(0, n)) };
}

/**
 * Shingle set of an already normalised text (see `normalizeText`): sorted unique 32-bit hashes.
 * Word 3-grams for spaced scripts, character 2- and 3-grams for runs of CJK/Thai/... characters.
 */
export function shinglesOfNormalized(normal: string): Uint32Array {
  if (normal === "") return new Uint32Array(0);
  const out: number[] = [];
  const words: number[] = [];
  if (ASCII_ONLY.test(normal) || !hasNoSpaceScript(normal)) return spacedShingles(normal);
  const chars: number[] = [];
  for (const chunk of normal.split(" ")) {
    // split with a capturing group alternates: spaced part, no-space run, spaced part, ...
    const parts = chunk.split(NO_SPACE_RUN);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === "") continue;
      if (i % 2 === 1) for (const ch of part) chars.push(fnv1a32(ch));
      else words.push(fnv1a32(part));
    }
  }
  pushWordShingles(words, out);
  pushCharShingles(chars, out);
  return toShingleSet(out);
}

/** Shingle set of a raw (plain text) comment. */
export function shingles(text: string): Uint32Array {
  return shinglesOfNormalized(normalizeText(text));
}

/** Size of the intersection of two sorted unique `Uint32Array` sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  const la = a.length;
  const lb = b.length;
  while (i < la && j < lb) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** Exact Jaccard similarity of two shingle sets (1 for two empty sets). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  const inter = intersectionSize(a, b);
  return inter / (a.length + b.length - inter);
}
