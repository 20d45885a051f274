import type { Stance } from "@margin/model";
import { w3cConformance } from "../exports/w3c-conformance.ts";
import { asList, firstString, isObject, toSelector } from "../exports/w3c-input.ts";
import {
  checkedText,
  dateOrNull,
  type ImportItem,
  type ItemReading,
  publicName,
} from "./import-item.ts";

const STANCES = new Set<string>(["support", "oppose", "neutral"]);

/** A Choice offers alternatives; the first is the one its author put first. */
const chosen = (body: unknown): unknown =>
  isObject(body) && body.type === "Choice" ? asList(body.items)[0] : body;

/** Where an annotation's (first) target is, whatever shape the target takes. */
function targetOf(target: unknown): { source: string; selector: unknown } | null {
  if (typeof target === "string") return { source: target, selector: undefined };
  if (!isObject(target)) return null;
  // Composite, List and Independents hold their targets in `items`.
  if (target.items !== undefined) return targetOf(asList(target.items)[0]);
  const src = isObject(target.source) ? target.source.id : target.source;
  const source = typeof src === "string" ? src : typeof target.id === "string" ? target.id : null;
  return source ? { source, selector: target.selector } : null;
}

/**
 * A W3C Web Annotation from an import file: refused unless it passes every
 * MUST assertion of the suite (the first failing one is the reason), then read
 * leniently, because "nothing is dropped": a body that is a link keeps the
 * link as its text, tags are kept as a line of text, a target Margin cannot
 * anchor (an image region, a CSS selector) becomes an orphan.
 */
export function readW3cItem(anno: unknown): ItemReading {
  const violations = w3cConformance().check(anno);
  if (violations.length || !isObject(anno))
    return {
      ok: false,
      reason: `not a conforming W3C Web Annotation: ${violations[0]?.message ?? "not an object"}`,
    };
  const motivation = firstString(anno.motivation);
  const texts: string[] = typeof anno.bodyValue === "string" ? [anno.bodyValue] : [];
  const links: string[] = [];
  const tags: string[] = [];
  let suggestion: string | null = null;
  let stance: Stance = "neutral";
  for (const raw of asList(anno.body)) {
    const body = chosen(raw);
    const purpose = isObject(body) ? firstString(body.purpose) : undefined;
    if (typeof body === "string") links.push(body);
    else if (!isObject(body)) continue;
    else if (typeof body.value === "string" && purpose === "tagging") {
      if (STANCES.has(body.value)) stance = body.value as Stance;
      else tags.push(body.value);
    } else if (typeof body.value === "string" && purpose === "editing" && motivation === "editing")
      suggestion = body.value;
    else if (typeof body.value === "string") texts.push(body.value);
    else if (typeof body.id === "string") links.push(body.id);
    else if (typeof body.source === "string") links.push(body.source);
  }
  const text = [
    ...texts,
    ...links.map((l) => `Linked: ${l}`),
    ...(tags.length ? [`Tags: ${tags.join(", ")}`] : []),
  ].join("\n\n");
  const target = targetOf(asList(anno.target)[0]);
  if (!target) return { ok: false, reason: "the target names no source" };
  const item: ImportItem = {
    sourceId: anno.id as string,
    creatorName: creatorName(anno.creator),
    created: dateOrNull(anno.created),
    motivation:
      motivation === "questioning"
        ? "questioning"
        : motivation === "editing" && suggestion
          ? "editing"
          : "commenting",
    // A highlight or bookmark has no body; it is kept, and says so.
    text: text.trim() ? text : "(an annotation without a body)",
    suggestion: motivation === "editing" ? suggestion : null,
    stance,
    source: target.source,
    selectors: asList(target.selector)
      .flatMap((s) => toSelector(s) ?? [])
      .slice(0, 5),
  };
  const bad = checkedText(item.text) ?? (item.suggestion ? checkedText(item.suggestion) : null);
  return bad ? { ok: false, reason: bad } : { ok: true, item };
}

/** `creator` as a Person's name or nickname; its `email` and `email_sha1` are never read. */
function creatorName(creator: unknown): string | null {
  const first = asList(creator)[0];
  if (!isObject(first)) return null;
  return publicName(firstString(first.name) ?? firstString(first.nickname));
}
