import type { OfficialResponse } from "@margin/model";
import type { ResponseRow } from "./db.ts";

/**
 * How an official answer is cached: flattened so Dexie can index it by the
 * comment or paragraph it answers. Only published answers reach clients.
 */
export function toResponseRow(r: OfficialResponse): ResponseRow {
  const t = r.target;
  return {
    id: r.id,
    consultationId: r.consultationId,
    targetType: t.type,
    targetId: t.type === "paragraph" ? t.key : t.id,
    text: r.text,
    disposition: r.disposition,
    official: { id: r.official.id, displayName: r.official.displayName },
    publishedAt: r.publishedAt ?? r.updatedAt,
    revision: r.revision,
    annotationId: t.type === "annotation" ? t.id : null,
    paragraphKey: t.type === "paragraph" ? t.key : null,
  };
}
