/**
 * Short content hash for paragraph keys. FNV-1a over UTF-16 code units of the folded text: no
 * crypto API needed (keys are computed synchronously, in the page and on the server alike) and the
 * same number everywhere because it is plain 32-bit integer arithmetic.
 */
import { foldText } from "./normalize.ts";

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 7 base-36 characters identifying a text up to whitespace, case, dash and full-width changes. */
export function fingerprint(text: string): string {
  return fnv1a(foldText(text)).toString(36).padStart(7, "0");
}
