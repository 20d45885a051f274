import { type Consultation, type ConsultationInput, effectiveStatus } from "@margin/model";
import type { Kysely } from "kysely";
import type { Db } from "../../db/connect.ts";
import type { Database } from "../../db/schema.ts";

function selectConsultations(db: Kysely<Database>) {
  return db
    .selectFrom("consultations as c")
    .innerJoin("agencies as ag", "ag.id", "c.agency_id")
    .selectAll("c")
    .select(["ag.slug as agency_slug", "ag.name as agency_name"]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectConsultations>["executeTakeFirstOrThrow"]>>;

async function officialsOf(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return new Map<string, Consultation["officials"]>();
  const rows = await db
    .selectFrom("consultation_officials as co")
    .innerJoin("users as u", "u.id", "co.user_id")
    .select(["co.consultation_id", "u.id", "u.display_name", "u.role"])
    .where("co.consultation_id", "in", ids)
    .orderBy("u.display_name")
    .execute();
  const map = new Map<string, Consultation["officials"]>();
  for (const r of rows) {
    const list = map.get(r.consultation_id) ?? [];
    list.push({ id: r.id, displayName: r.display_name, role: r.role });
    map.set(r.consultation_id, list);
  }
  return map;
}

function toConsultation(row: Row, officials: Consultation["officials"], now: Date): Consultation {
  return {
    id: row.id,
    agency: { id: row.agency_id, slug: row.agency_slug, name: row.agency_name },
    title: row.title,
    summary: row.summary,
    locale: row.locale,
    urlPatterns: row.url_patterns,
    opensAt: row.opens_at.toISOString(),
    closesAt: row.closes_at.toISOString(),
    respondBy: row.respond_by.toISOString(),
    status: effectiveStatus(row.status, row, now),
    officials,
    currentVersion: row.current_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getConsultation(db: Kysely<Database>, id: string, now: Date) {
  const row = await selectConsultations(db).where("c.id", "=", id).executeTakeFirst();
  if (!row) return null;
  const officials = await officialsOf(db, [id]);
  return toConsultation(row, officials.get(id) ?? [], now);
}

export async function listConsultations(
  db: Db,
  q: { agencySlug?: string; includeDraftsOf?: string | "all" },
  now: Date,
) {
  let query = selectConsultations(db).orderBy("c.opens_at", "desc").limit(500);
  if (q.agencySlug) query = query.where("ag.slug", "=", q.agencySlug);
  const inc = q.includeDraftsOf;
  if (inc !== "all") {
    query = query.where((eb) =>
      inc
        ? eb.or([eb("c.status", "!=", "draft"), eb("c.agency_id", "=", inc)])
        : eb("c.status", "!=", "draft"),
    );
  }
  const rows = await query.execute();
  const officials = await officialsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toConsultation(r, officials.get(r.id) ?? [], now));
}

/** Officials named on a consultation must belong to its agency. */
export async function officialsOutsideAgency(
  db: Kysely<Database>,
  agencyId: string,
  ids: string[],
) {
  if (ids.length === 0) return [];
  const found = await db
    .selectFrom("users")
    .select("id")
    .where("id", "in", ids)
    .where("role", "=", "official")
    .where("agency_id", "=", agencyId)
    .execute();
  const ok = new Set(found.map((r) => r.id));
  return ids.filter((id) => !ok.has(id));
}

export async function insertConsultation(
  db: Kysely<Database>,
  input: ConsultationInput,
  createdBy: string,
  now: Date,
) {
  const row = await db
    .insertInto("consultations")
    .values({
      agency_id: input.agencyId,
      title: input.title,
      summary: input.summary,
      locale: input.locale,
      url_patterns: input.urlPatterns,
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      respond_by: input.respondBy,
      status: "draft",
      created_by: createdBy,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await setOfficials(db, row.id, input.officialIds);
  return row.id;
}

export async function setOfficials(db: Kysely<Database>, consultationId: string, ids: string[]) {
  await db
    .deleteFrom("consultation_officials")
    .where("consultation_id", "=", consultationId)
    .execute();
  if (ids.length) {
    await db
      .insertInto("consultation_officials")
      .values([...new Set(ids)].map((user_id) => ({ consultation_id: consultationId, user_id })))
      .execute();
  }
}
