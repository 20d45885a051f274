import type { ExportAnnotation, ExportResponse } from "./export.repository.ts";

/**
 * Which published answer speaks for a comment: one to the comment itself
 * first, then one to its point (cluster), then one to its paragraph; the
 * latest published wins where a target has several.
 */
export function answersIndex(responses: readonly ExportResponse[]) {
  const byTarget = new Map<string, ExportResponse>();
  for (const r of responses) {
    const key = `${r.target_type}:${r.target_id}`;
    const held = byTarget.get(key);
    if (!held || (r.published_at?.getTime() ?? 0) >= (held.published_at?.getTime() ?? 0))
      byTarget.set(key, r);
  }
  return (a: Pick<ExportAnnotation, "id" | "cluster_id" | "paragraph_key">) =>
    byTarget.get(`annotation:${a.id}`) ??
    (a.cluster_id ? byTarget.get(`cluster:${a.cluster_id}`) : undefined) ??
    (a.paragraph_key ? byTarget.get(`paragraph:${a.paragraph_key}`) : undefined) ??
    null;
}

export type AnswerFor = ReturnType<typeof answersIndex>;
