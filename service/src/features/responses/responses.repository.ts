import type { OfficialResponse, ResponseTarget } from "@margin/model";
import type { Kysely, Selectable } from "kysely";
import type { Database, ResponsesTable } from "../../db/schema.ts";

type Row = Selectable<ResponsesTable> & {
  official_name: string;
  official_role: "citizen" | "official" | "admin";
};

export function selectResponses(db: Kysely<Database>) {
  return db
    .selectFrom("responses as r")
    .innerJoin("users as u", "u.id", "r.official_id")
    .selectAll("r")
    .select(["u.display_name as official_name", "u.role as official_role"]);
}

export function targetOf(row: Pick<ResponsesTable, "target_type" | "target_id">): ResponseTarget {
  return row.target_type === "paragraph"
    ? { type: "paragraph", key: row.target_id }
    : { type: row.target_type, id: row.target_id };
}

export function targetColumns(t: ResponseTarget) {
  return { target_type: t.type, target_id: t.type === "paragraph" ? t.key : t.id };
}

/** Responses with their published history, in one query per list rather than one per response. */
export async function toResponses(db: Kysely<Database>, rows: Row[]): Promise<OfficialResponse[]> {
  if (rows.length === 0) return [];
  const history = await db
    .selectFrom("response_revisions as h")
    .innerJoin("users as u", "u.id", "h.official_id")
    .select([
      "h.response_id",
      "h.revision",
      "h.text",
      "h.disposition",
      "h.at",
      "u.id as official_id",
      "u.display_name",
      "u.role",
    ])
    .where(
      "h.response_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("h.revision")
    .execute();
  const byResponse = new Map<string, OfficialResponse["history"]>();
  for (const h of history) {
    const list = byResponse.get(h.response_id) ?? [];
    list.push({
      revision: h.revision,
      text: h.text,
      disposition: h.disposition,
      official: { id: h.official_id, displayName: h.display_name, role: h.role },
      at: h.at.toISOString(),
    });
    byResponse.set(h.response_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    consultationId: r.consultation_id,
    target: targetOf(r),
    text: r.text,
    disposition: r.disposition,
    citesChange:
      r.cites_version !== null && r.cites_paragraph !== null
        ? { version: r.cites_version, paragraphKey: r.cites_paragraph }
        : null,
    status: r.status,
    revision: r.revision,
    official: { id: r.official_id, displayName: r.official_name, role: r.official_role },
    createdAt: r.created_at.toISOString(),
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    updatedAt: r.updated_at.toISOString(),
    history: byResponse.get(r.id) ?? [],
  }));
}

/** Appends the response's current wording to its public history (on publish and on each later revision). */
export async function recordPublishedRevision(db: Kysely<Database>, id: string, at: Date) {
  const r = await db
    .selectFrom("responses")
    .select(["revision", "text", "disposition", "official_id"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("response_revisions")
    .values({
      response_id: id,
      revision: r.revision,
      text: r.text,
      disposition: r.disposition,
      official_id: r.official_id,
      at,
    })
    .onConflict((oc) => oc.columns(["response_id", "revision"]).doNothing())
    .execute();
}
