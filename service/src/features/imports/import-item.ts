import { createHash } from "node:crypto";
import type { Motivation, Selector, Stance } from "@margin/model";

/**
 * One annotation from an import file, read into Margin's terms whatever its
 * format. `sourceId` names it in the system it came from, so a second import
 * of the same file finds it again.
 */
export interface ImportItem {
  sourceId: string;
  /** The original creator's public name; never an email address (see `publicName`). */
  creatorName: string | null;
  created: Date | null;
  motivation: Exclude<Motivation, "replying">;
  text: string;
  suggestion: string | null;
  stance: Stance;
  source: string;
  /** The original text selectors (quote, position) Margin understands; may be empty. */
  selectors: Selector[];
}

export type ItemReading = { ok: true; item: ImportItem } | { ok: false; reason: string };

/** Hypothesis and the W3C both cap nothing; Margin's comments are at most 10,000 characters. */
export const MAX_TEXT = 10_000;

// A fixed namespace for Margin's imported ids (a random UUID, chosen once).
const NAMESPACE = "6f0e1c3a-9b5d-4e27-8a41-3c2d7b9e5f10";

/**
 * A UUIDv5 (RFC 9562, SHA-1 name-based) of the consultation and the source
 * id: the same annotation imported into the same consultation always gets the
 * same id, so the existing "a retried create finds the stored one" path makes
 * a re-import harmless.
 */
export function importedId(consultationId: string, sourceId: string): string {
  const ns = Buffer.from(NAMESPACE.replace(/-/g, ""), "hex");
  const hash = createHash("sha1")
    .update(ns)
    .update(`${consultationId}\n${sourceId}`, "utf8")
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;

/**
 * A creator's name fit to publish: Hypothesis's `acct:alice@hypothes.is`
 * becomes `alice` (a username, not a mailbox); anything else that looks like
 * an email address is removed, because personal data is never imported.
 */
export function publicName(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const acct = /^acct:([^@\s]+)@[^@\s]+$/.exec(raw.trim());
  const name = (acct ? acct[1] : raw)
    ?.replace(/^mailto:\S*/i, "")
    .replace(EMAIL, "")
    // What held the address ("Name <a@b.c>", "Name (a@b.c)") is left empty.
    .replace(/<\s*>|\(\s*\)|\[\s*\]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
  return name ? name : null;
}

export function dateOrNull(v: unknown): Date | null {
  if (typeof v !== "string") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Text Margin can hold, or the reason it cannot. */
export function checkedText(text: string): string | null {
  const t = text.trim();
  if (!t) return "the annotation has no text";
  if (t.length > MAX_TEXT) return `the text is longer than ${MAX_TEXT} characters`;
  return null;
}
