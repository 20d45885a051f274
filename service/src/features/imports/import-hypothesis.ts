import * as z from "zod";
import { toSelector } from "../exports/w3c-input.ts";
import {
  checkedText,
  dateOrNull,
  type ImportItem,
  type ItemReading,
  publicName,
} from "./import-item.ts";

/**
 * One annotation as Hypothesis exports it (the client's JSON export and its
 * API's `rows`): `target[{source, selector[]}]` with W3C selectors, `text`,
 * `tags`, `user` as `acct:name@authority`. Only what Margin keeps is read.
 */
const HypothesisAnnotationSchema = z.object({
  id: z.string().min(1),
  uri: z.string().min(1).optional(),
  text: z.string().default(""),
  tags: z.array(z.string()).default([]),
  created: z.string().optional(),
  user: z.string().optional(),
  user_info: z.object({ display_name: z.string().nullish() }).nullish(),
  target: z
    .array(
      z.object({ source: z.string().min(1).optional(), selector: z.array(z.unknown()).optional() }),
    )
    .min(1),
  references: z.array(z.string()).optional(),
});

/** Whether an object has Hypothesis's shape rather than the W3C's (which has `type`). */
export function looksLikeHypothesis(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return o.type === undefined && Array.isArray(o.target) && ("uri" in o || "user" in o);
}

export function readHypothesisItem(raw: unknown): ItemReading {
  const parsed = HypothesisAnnotationSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `not a Hypothesis annotation: ${issue?.path.join(".") || "item"}: ${issue?.message}`,
    };
  }
  const a = parsed.data;
  const target = a.target[0];
  const source = target?.source ?? a.uri;
  if (!source) return { ok: false, reason: "the annotation names no source document" };
  // A page note or highlight has no text; the quote it highlights still tells what it is about.
  const text = [a.text, ...(a.tags.length ? [`Tags: ${a.tags.join(", ")}`] : [])]
    .filter((t) => t.trim())
    .join("\n\n");
  const item: ImportItem = {
    sourceId: `hypothesis:${a.id}`,
    creatorName: publicName(a.user_info?.display_name) ?? publicName(a.user),
    created: dateOrNull(a.created),
    motivation: "commenting",
    text: text || "(a highlight without a comment)",
    suggestion: null,
    stance: "neutral",
    source,
    selectors: (target?.selector ?? []).flatMap((s) => toSelector(s) ?? []).slice(0, 5),
  };
  const bad = checkedText(item.text);
  return bad ? { ok: false, reason: bad } : { ok: true, item };
}
