import type { ErrorIssue, Motivation, Selector, Stance } from "@margin/model";

/** What a W3C annotation says, in Margin's terms; `parentId` when it targets another annotation of the container. */
export interface MarginFields {
  motivation: Motivation;
  text: string;
  suggestion: string | null;
  stance: Stance;
  parentId: string | null;
  target: { source: string; selector: Selector[] } | null;
}

type Json = Record<string, unknown>;
const MOTIVATIONS = new Set<Motivation>(["commenting", "questioning", "editing", "replying"]);
const STANCES = new Set<Stance>(["support", "oppose", "neutral"]);

export const asList = (v: unknown): unknown[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];
export const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const firstString = (v: unknown): string | undefined =>
  asList(v).find((x): x is string => typeof x === "string");

/** A W3C selector Margin understands, as Margin stores it; null for any other kind. */
export function toSelector(s: unknown): Selector | null {
  if (!isObject(s)) return null;
  if (s.type === "TextQuoteSelector" && typeof s.exact === "string" && s.exact.length > 0)
    return {
      type: "TextQuoteSelector",
      exact: s.exact,
      ...(typeof s.prefix === "string" ? { prefix: s.prefix.slice(-200) } : {}),
      ...(typeof s.suffix === "string" ? { suffix: s.suffix.slice(0, 200) } : {}),
    };
  if (
    s.type === "TextPositionSelector" &&
    Number.isInteger(s.start) &&
    Number.isInteger(s.end) &&
    (s.start as number) >= 0 &&
    (s.end as number) >= (s.start as number)
  )
    return { type: "TextPositionSelector", start: s.start as number, end: s.end as number };
  // Margin exports its paragraph key as the answers page's fragment `p-<key>`.
  if (s.type === "FragmentSelector" && typeof s.value === "string" && s.value.startsWith("p-"))
    return { type: "ParagraphSelector", key: decodeURIComponent(s.value.slice(2)) };
  return null;
}

/**
 * Reads a conforming W3C annotation (already checked against the suite) into
 * Margin's fields, or lists why Margin cannot hold it. `annotationIdOf` turns
 * a target IRI into the id of an annotation of this container, for replies.
 */
export function fromW3cAnnotation(
  anno: Json,
  annotationIdOf: (iri: string) => string | null,
): { ok: true; fields: MarginFields } | { ok: false; issues: ErrorIssue[] } {
  const issues: ErrorIssue[] = [];
  const motivation = firstString(anno.motivation);
  let text: string | undefined = typeof anno.bodyValue === "string" ? anno.bodyValue : undefined;
  let suggestion: string | null = null;
  let stance: Stance = "neutral";
  for (const body of asList(anno.body)) {
    if (!isObject(body) || typeof body.value !== "string") continue;
    const purpose = firstString(body.purpose);
    if (purpose === "tagging" && STANCES.has(body.value as Stance)) stance = body.value as Stance;
    else if (purpose === "editing" && motivation !== "editing") suggestion = body.value;
    else if (purpose === "editing" && text !== undefined) suggestion = body.value;
    else if (purpose !== "tagging" && text === undefined) text = body.value;
  }
  if (!text?.trim())
    issues.push({
      path: "body.body",
      message: "needs a TextualBody (or bodyValue) with the comment's text",
    });

  let parentId: string | null = null;
  let target: MarginFields["target"] = null;
  const first = asList(anno.target)[0];
  if (typeof first === "string") {
    parentId = annotationIdOf(first);
    if (!parentId)
      issues.push({
        path: "body.target",
        message: "a target without selectors must be an annotation of this container (a reply)",
      });
  } else if (isObject(first) && typeof first.source === "string") {
    const selector = asList(first.selector).flatMap((s) => toSelector(s) ?? []);
    if (selector.length === 0)
      issues.push({
        path: "body.target.selector",
        message: "needs a TextQuoteSelector, TextPositionSelector or Margin paragraph fragment",
      });
    target = { source: first.source, selector: selector.slice(0, 5) };
  } else {
    issues.push({
      path: "body.target",
      message: "needs a source with selectors, or an annotation IRI",
    });
  }
  if (issues.length) return { ok: false, issues };
  const resolved: Motivation = parentId
    ? "replying"
    : motivation && MOTIVATIONS.has(motivation as Motivation) && motivation !== "replying"
      ? (motivation as Motivation)
      : suggestion !== null
        ? "editing"
        : "commenting";
  return {
    ok: true,
    fields: {
      motivation: resolved,
      text: text as string,
      suggestion: resolved === "editing" ? suggestion : null,
      stance,
      parentId,
      target,
    },
  };
}
