import type { Selector } from "@margin/model";
import type { ExportAnnotation, ExportResponse } from "./export.repository.ts";
import type { ConsultationIris } from "./iris.ts";
import { pseudonymOf } from "./pseudonym.ts";

export const ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld";
export const ANNO_MEDIA_TYPE = `application/ld+json; profile="${ANNO_CONTEXT}"`;

type Json = Record<string, unknown>;

const person = (id: string, name: string) => ({
  type: "Person",
  name,
  nickname: pseudonymOf(id),
});

/**
 * Margin's selectors as W3C selectors. The paragraph key is Margin's own, so
 * it travels as a FragmentSelector naming the paragraph's anchor on the
 * public answers page (`p-<key>`), which a W3C client can still follow.
 */
function w3cSelectors(selectors: readonly Selector[]): Json[] {
  return selectors.map((s) =>
    s.type === "ParagraphSelector"
      ? { type: "FragmentSelector", value: `p-${encodeURIComponent(s.key)}` }
      : { ...s },
  );
}

/** A public comment in the W3C Web Annotation Data Model. */
export function toW3cAnnotation(a: ExportAnnotation, iris: ConsultationIris): Json {
  const body: Json[] = [
    { type: "TextualBody", value: a.text, format: "text/plain", purpose: a.motivation },
  ];
  if (a.suggestion !== null)
    body.push({
      type: "TextualBody",
      value: a.suggestion,
      format: "text/plain",
      purpose: "editing",
    });
  // Stance is a tag: "support", "oppose" or "neutral".
  body.push({ type: "TextualBody", value: a.stance, purpose: "tagging" });
  // An imported orphan may have no selector Margin understands; the suite forbids an empty list.
  const target = a.parent_id
    ? iris.annotation(a.parent_id)
    : a.selectors.length
      ? { source: a.source, selector: w3cSelectors(a.selectors) }
      : a.source;
  return {
    "@context": ANNO_CONTEXT,
    id: iris.annotation(a.id),
    type: "Annotation",
    motivation: a.motivation,
    created: a.created_at.toISOString(),
    modified: a.modified_at.toISOString(),
    creator: person(a.author_id, a.author_name),
    generator: { id: iris.generator, type: "Software", name: "Margin" },
    body,
    target,
  };
}

/** An official's published answer: a reply whose second body, a tag, is its disposition. */
export function toW3cResponse(r: ExportResponse, iris: ConsultationIris): Json {
  const target =
    r.target_type === "annotation"
      ? iris.annotation(r.target_id)
      : r.target_type === "cluster"
        ? iris.point(r.target_id)
        : iris.paragraph(r.target_id);
  return {
    "@context": ANNO_CONTEXT,
    id: iris.response(r.id),
    type: "Annotation",
    motivation: "replying",
    created: (r.published_at ?? r.updated_at).toISOString(),
    modified: r.updated_at.toISOString(),
    creator: person(r.official_id, r.official_name),
    generator: { id: iris.generator, type: "Software", name: "Margin" },
    body: [
      { type: "TextualBody", value: r.text, format: "text/plain", purpose: "replying" },
      { type: "TextualBody", value: r.disposition, purpose: "tagging" },
    ],
    target,
  };
}
