import type { Consultation } from "@margin/model";
import { quoteOf } from "@margin/model";
import { stringify } from "csv-stringify/sync";
import type { AnswerFor } from "./answers-index.ts";
import type { ExportAnnotation, ExportResponse } from "./export.repository.ts";
import type { ConsultationIris } from "./iris.ts";
import { pseudonymOf } from "./pseudonym.ts";
import { ANNO_CONTEXT, toW3cAnnotation, toW3cResponse } from "./w3c-annotation.ts";

export const EXPORT_FORMATS = ["json", "csv", "jsonld"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Everything one export is made from; `pages` is read once, a page at a time. */
export interface ExportSource {
  consultation: Consultation;
  exportedAt: Date;
  iris: ConsultationIris;
  /** Comments plus answers, counted before the pages are read. */
  total: number;
  responses: ExportResponse[];
  answerFor: AnswerFor;
  pages: AsyncIterable<ExportAnnotation[]>;
}

const people = (list: Consultation["officials"]) =>
  list.map((o) => ({ name: o.displayName, pseudonym: pseudonymOf(o.id) }));

function consultationRecord(c: Consultation) {
  const { officials, ...rest } = c;
  return { ...rest, officials: people(officials) };
}

function responseRecord(r: ExportResponse) {
  return {
    id: r.id,
    target:
      r.target_type === "paragraph"
        ? { type: "paragraph", key: r.target_id }
        : { type: r.target_type === "cluster" ? "point" : "annotation", id: r.target_id },
    text: r.text,
    disposition: r.disposition,
    official: { name: r.official_name, pseudonym: pseudonymOf(r.official_id) },
    revision: r.revision,
    published: r.published_at?.toISOString() ?? null,
    modified: r.updated_at.toISOString(),
  };
}

function annotationRecord(a: ExportAnnotation, answerFor: AnswerFor) {
  return {
    id: a.id,
    parentId: a.parent_id,
    motivation: a.motivation,
    stance: a.stance,
    text: a.text,
    suggestion: a.suggestion,
    target: { source: a.source, selector: a.selectors },
    paragraphKey: a.paragraph_key,
    author: { name: a.author_name, pseudonym: pseudonymOf(a.author_id), role: a.author_role },
    created: a.created_at.toISOString(),
    modified: a.modified_at.toISOString(),
    revision: a.revision,
    endorsements: { agree: a.agree_count, disagree: a.disagree_count },
    pointId: a.cluster_id,
    responseId: answerFor(a)?.id ?? null,
  };
}

export const CSV_COLUMNS = [
  "id",
  "parent_id",
  "created",
  "modified",
  "motivation",
  "stance",
  "paragraph_key",
  "quote",
  "text",
  "suggestion",
  "author",
  "author_pseudonym",
  "author_role",
  "agree",
  "disagree",
  "point_id",
  "response_id",
  "response_disposition",
  "response_text",
  "response_official",
  "response_published",
] as const;

function csvRow(a: ExportAnnotation, answerFor: AnswerFor): string[] {
  const answer = answerFor(a);
  return [
    a.id,
    a.parent_id ?? "",
    a.created_at.toISOString(),
    a.modified_at.toISOString(),
    a.motivation,
    a.stance,
    a.paragraph_key ?? "",
    quoteOf(a.selectors)?.exact ?? "",
    a.text,
    a.suggestion ?? "",
    a.author_name,
    pseudonymOf(a.author_id),
    a.author_role,
    String(a.agree_count),
    String(a.disagree_count),
    a.cluster_id ?? "",
    answer?.id ?? "",
    answer?.disposition ?? "",
    answer?.text ?? "",
    answer?.official_name ?? "",
    answer?.published_at?.toISOString() ?? "",
  ];
}

/**
 * One row per comment with the answer that speaks for it. The BOM makes
 * spreadsheet programs read UTF-8 (Chinese) correctly; cells starting with
 * = + - @ tab or CR get a leading apostrophe so they are never run as formulas.
 */
async function* csvChunks(src: ExportSource): AsyncGenerator<string> {
  yield stringify([[...CSV_COLUMNS]], { bom: true, escape_formulas: true });
  for await (const page of src.pages)
    yield stringify(
      page.map((a) => csvRow(a, src.answerFor)),
      { escape_formulas: true },
    );
}

/** A JSON array streamed item by item: `[` first, commas between, `]` last. */
async function* jsonArray<T>(
  pages: AsyncIterable<T[]>,
  encode: (item: T) => unknown,
): AsyncGenerator<string> {
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    const text = page.map((item) => JSON.stringify(encode(item))).join(",\n");
    yield first ? `\n${text}` : `,\n${text}`;
    first = false;
  }
}

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

async function* jsonChunks(src: ExportSource): AsyncGenerator<string> {
  const head = {
    format: "margin-export/1",
    exportedAt: src.exportedAt.toISOString(),
    consultation: consultationRecord(src.consultation),
    responses: src.responses.map(responseRecord),
  };
  // The head is whole; the annotations array is left open and streamed.
  yield `${JSON.stringify(head).slice(0, -1)},"annotations":[`;
  yield* jsonArray(src.pages, (a) => annotationRecord(a, src.answerFor));
  yield "\n]}\n";
}

/** One AnnotationCollection holding a single page: every comment, then every published answer. */
async function* jsonLdChunks(src: ExportSource): AsyncGenerator<string> {
  const collection = {
    "@context": ANNO_CONTEXT,
    id: src.iris.exportOf("jsonld"),
    type: "AnnotationCollection",
    label: src.consultation.title,
    total: src.total,
    generated: src.exportedAt.toISOString(),
  };
  const page = { id: `${src.iris.exportOf("jsonld")}#page-0`, type: "AnnotationPage" };
  yield `${JSON.stringify(collection).slice(0, -1)},"first":${JSON.stringify(page).slice(0, -1)},"startIndex":0,"items":[`;
  let any = false;
  for await (const chunk of jsonArray(src.pages, (a) => toW3cAnnotation(a, src.iris))) {
    any = true;
    yield chunk;
  }
  for await (const chunk of jsonArray(once(src.responses), (r) => toW3cResponse(r, src.iris)))
    yield any ? `,${chunk}` : chunk;
  yield "\n]}}\n";
}

export function exportChunks(format: ExportFormat, src: ExportSource): AsyncGenerator<string> {
  if (format === "csv") return csvChunks(src);
  if (format === "json") return jsonChunks(src);
  return jsonLdChunks(src);
}

export const exportMediaTypes: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8; header=present",
  jsonld: `application/ld+json; profile="${ANNO_CONTEXT}"`,
};

export const isExportFormat = (value: string): value is ExportFormat =>
  (EXPORT_FORMATS as readonly string[]).includes(value);
