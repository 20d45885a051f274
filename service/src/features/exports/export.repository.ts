import type { Selector } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { scopeOf } from "../sync/change-log.ts";

/** One public comment as exports need it: no email, the author only by name and id (pseudonymised later). */
export interface ExportAnnotation {
  id: string;
  consultation_id: string | null;
  source: string;
  selectors: Selector[];
  paragraph_key: string | null;
  parent_id: string | null;
  motivation: "commenting" | "questioning" | "editing" | "replying";
  text: string;
  suggestion: string | null;
  stance: "support" | "oppose" | "neutral";
  author_id: string;
  author_name: string;
  author_role: "citizen" | "official" | "admin";
  created_at: Date;
  modified_at: Date;
  revision: number;
  agree_count: number;
  disagree_count: number;
  cluster_id: string | null;
}

export interface ExportResponse {
  id: string;
  target_type: "cluster" | "paragraph" | "annotation";
  target_id: string;
  text: string;
  disposition: "adopted" | "partly_adopted" | "not_adopted" | "explained" | "out_of_scope";
  official_id: string;
  official_name: string;
  revision: number;
  published_at: Date | null;
  updated_at: Date;
}

/** What the public may read: withdrawn and hidden comments are not part of the record. */
function visibleIn(db: Kysely<Database>, consultationId: string) {
  return db
    .selectFrom("annotations as a")
    .where("a.scope", "=", scopeOf(consultationId, ""))
    .where("a.status", "=", "visible");
}

export async function countExportable(db: Kysely<Database>, consultationId: string) {
  const row = await visibleIn(db, consultationId)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function selectExportable(db: Kysely<Database>, consultationId: string) {
  return visibleIn(db, consultationId)
    .innerJoin("users as u", "u.id", "a.author_id")
    .select([
      "a.id",
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
      "u.display_name as author_name",
      "u.role as author_role",
      "a.created_at",
      "a.modified_at",
      "a.revision",
      "a.agree_count",
      "a.disagree_count",
      "a.cluster_id",
    ])
    .orderBy("a.id");
}

/**
 * The consultation's public comments in id order, one page per query (keyset
 * on the (scope, id) index), so a million comments never sit in memory at once
 * and no server-side cursor holds a connection between pages.
 */
export async function* exportableAnnotations(
  db: Kysely<Database>,
  consultationId: string,
  pageSize = 1000,
): AsyncGenerator<ExportAnnotation[]> {
  let after: string | null = null;
  for (;;) {
    let q = selectExportable(db, consultationId).limit(pageSize);
    if (after) q = q.where("a.id", ">", after);
    const rows: ExportAnnotation[] = await q.execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    after = (rows[rows.length - 1] as ExportAnnotation).id;
  }
}

/** One numbered page, for the W3C container (the protocol pages by number). */
export function exportablePage(
  db: Kysely<Database>,
  consultationId: string,
  offset: number,
  limit: number,
): Promise<ExportAnnotation[]> {
  return selectExportable(db, consultationId).offset(offset).limit(limit).execute();
}

export function findExportable(
  db: Kysely<Database>,
  consultationId: string,
  id: string,
): Promise<ExportAnnotation | undefined> {
  return selectExportable(db, consultationId).where("a.id", "=", id).executeTakeFirst();
}

/** The consultation's latest change-log row: every write adds one, so it makes a cheap ETag. */
export async function changeCounter(db: Kysely<Database>, consultationId: string) {
  const row = await db
    .selectFrom("changes")
    .select((eb) => eb.fn.max("id").as("last"))
    .where("scope", "=", scopeOf(consultationId, ""))
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

/** Published answers only; a consultation has far fewer of them than comments, so they are read whole. */
export function publishedResponses(
  db: Kysely<Database>,
  consultationId: string,
): Promise<ExportResponse[]> {
  return db
    .selectFrom("responses as r")
    .innerJoin("users as u", "u.id", "r.official_id")
    .where("r.consultation_id", "=", consultationId)
    .where("r.status", "=", "published")
    .select([
      "r.id",
      "r.target_type",
      "r.target_id",
      "r.text",
      "r.disposition",
      "r.official_id",
      "u.display_name as official_name",
      "r.revision",
      "r.published_at",
      "r.updated_at",
    ])
    .orderBy("r.published_at")
    .orderBy("r.id")
    .execute();
}
