import type { Annotation } from "@margin/model";
import type { Kysely } from "kysely";
import type { Db } from "../../db/connect.ts";
import type { Database } from "../../db/schema.ts";
import type { AuthUser } from "../../http/context.ts";

export function selectAnnotations(db: Kysely<Database>) {
  return db
    .selectFrom("annotations as a")
    .innerJoin("users as u", "u.id", "a.author_id")
    .leftJoin("consultations as c", "c.id", "a.consultation_id")
    .select([
      "a.id",
      "a.scope",
      "a.consultation_id",
      "a.source",
      "a.selectors",
      "a.paragraph_key",
      "a.parent_id",
      "a.motivation",
      "a.text",
      "a.suggestion",
      "a.stance",
      "a.author_id",
      "a.created_at",
      "a.modified_at",
      "a.revision",
      "a.status",
      "a.hidden_reason",
      "a.agree_count",
      "a.disagree_count",
      "a.cluster_id",
      "u.display_name as author_name",
      "u.role as author_role",
      "c.agency_id",
    ]);
}

export type AnnotationRow = Awaited<
  ReturnType<ReturnType<typeof selectAnnotations>["executeTakeFirstOrThrow"]>
>;

/** Whether this person may see text that the public does not (hidden by a moderator). */
export function canModerate(viewer: AuthUser | null, row: { agency_id: string | null }): boolean {
  if (!viewer) return false;
  if (viewer.role === "admin") return true;
  return viewer.role === "official" && row.agency_id !== null && viewer.agency_id === row.agency_id;
}

/**
 * The public shape. Withdrawn comments keep their place in a thread but not
 * their words; hidden ones keep their words only for the author and moderators.
 */
export function toAnnotation(row: AnnotationRow, viewer: AuthUser | null): Annotation {
  const isAuthor = viewer?.id === row.author_id;
  const redact =
    row.status === "withdrawn" ||
    (row.status === "hidden" && !isAuthor && !canModerate(viewer, row));
  return {
    id: row.id,
    consultationId: row.consultation_id,
    target: { source: row.source, selector: row.selectors },
    paragraphKey: row.paragraph_key,
    parentId: row.parent_id,
    motivation: row.motivation,
    text: redact ? "" : row.text,
    suggestion: redact ? null : row.suggestion,
    stance: row.stance,
    author: { id: row.author_id, displayName: row.author_name, role: row.author_role },
    created: row.created_at.toISOString(),
    modified: row.modified_at.toISOString(),
    revision: row.revision,
    status: row.status,
    hiddenReason: row.hidden_reason,
    endorsements: { agree: row.agree_count, disagree: row.disagree_count },
    pointId: row.cluster_id,
  };
}

export function findAnnotationRow(db: Kysely<Database>, id: string) {
  return selectAnnotations(db).where("a.id", "=", id).executeTakeFirst();
}

export async function listAnnotations(
  db: Db,
  q: { consultationId?: string; scope?: string; paragraph?: string; after?: string; limit: number },
) {
  let query = selectAnnotations(db)
    .orderBy("a.id")
    .limit(q.limit + 1);
  if (q.consultationId) query = query.where("a.consultation_id", "=", q.consultationId);
  if (q.scope) query = query.where("a.scope", "=", q.scope);
  if (q.paragraph) query = query.where("a.paragraph_key", "=", q.paragraph);
  if (q.after) query = query.where("a.id", ">", q.after);
  const rows = await query.execute();
  const more = rows.length > q.limit;
  return { rows: rows.slice(0, q.limit), next: more ? (rows[q.limit - 1]?.id ?? null) : null };
}
