import { type AnnotationCreate, canonicalUrl, effectiveStatus } from "@margin/model";
import { type Kysely, sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";
import type { AuthUser } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { gateError } from "../consultations/consultation-gate.ts";
import { type CommandResult, newAnnotationRow } from "./annotations.commands.ts";
import { type AnnotationRow, selectAnnotations } from "./annotations.repository.ts";

/** A consultation as the gate sees it, read in the same statement that writes. */
interface GateRow {
  id: string;
  agency_id: string;
  status: "draft" | "published" | "concluded";
  opens_at: string;
  closes_at: string;
}

/**
 * Many new top-level comments at once, as an offline outbox delivers them,
 * or one from the REST route: the gate check, the insert and the change log
 * are one statement, so a single comment costs one round trip and needs no
 * explicit transaction (one statement is atomic: acknowledged means stored).
 * Same rules and same results as `createAnnotation` (replies go through that one).
 */
export async function createAnnotationsBulk(
  db: Kysely<Database>,
  user: AuthUser,
  inputs: AnnotationCreate[],
  now: Date,
): Promise<CommandResult[]> {
  const results: (CommandResult | undefined)[] = new Array(inputs.length);
  // The first of two creates with one id in a batch wins; the second is answered like a retry.
  const firstIndex = new Map<string, number>();
  const rows = inputs.flatMap((input, i) => {
    if (firstIndex.has(input.id)) return [];
    firstIndex.set(input.id, i);
    const where = {
      consultationId: input.consultationId,
      source: canonicalUrl(input.target.source),
      selectors: input.target.selector,
    };
    return [{ ...newAnnotationRow(input, user, now, where), ord: i }];
  });
  const consultationIds = [...new Set(inputs.flatMap((i) => i.consultationId ?? []))];
  // One JSON parameter for the whole batch: PostgreSQL unpacks it far faster
  // than it binds thousands of separate parameters. The `open` test is
  // effectiveStatus() === "open" (stored published, opens_at <= now < closes_at);
  // why a comment was refused is worded below from the gate rows returned.
  const written = rows.length
    ? (
        await sql<{ gates: GateRow[] | null; created: string[] | null }>`
          with gate as (
            select id, agency_id, status, opens_at, closes_at
              from consultations where id = any(${sql.val(consultationIds)}::uuid[])
          ),
          input as (
            select * from jsonb_to_recordset(${jsonb(rows)}) as r(id uuid, scope text, consultation_id uuid,
                   source text, selectors jsonb, paragraph_key text, parent_id uuid, motivation text, text text,
                   suggestion text, stance text, author_id uuid, created_at timestamptz, modified_at timestamptz,
                   revision int, status text, ord int)
          ),
          ins as (
            insert into annotations (id, scope, consultation_id, source, selectors, paragraph_key, parent_id,
                                     motivation, text, suggestion, stance, author_id, created_at, modified_at,
                                     revision, status)
            select r.id, r.scope, r.consultation_id, r.source, r.selectors, r.paragraph_key, r.parent_id,
                   r.motivation, r.text, r.suggestion, r.stance, r.author_id, r.created_at, r.modified_at,
                   r.revision, r.status
              from input r
             where r.consultation_id is null
                or r.consultation_id in (select id from gate
                                          where status = 'published' and opens_at <= ${now}::timestamptz
                                            and ${now}::timestamptz < closes_at)
             order by r.ord
            on conflict (id) do nothing
            returning id, scope
          ),
          logged as (
            insert into changes (scope, entity, entity_id)
            select ins.scope, 'annotation', ins.id from ins join input r using (id) order by r.ord
          )
          select (select json_agg(gate) from gate) as gates,
                 (select json_agg(ins.id) from ins) as created`.execute(db)
      ).rows[0]
    : undefined;
  const gates = new Map<string, AppError | null>();
  const agencies = new Map<string, string>();
  for (const g of written?.gates ?? []) {
    const dates = { opens_at: new Date(g.opens_at), closes_at: new Date(g.closes_at) };
    gates.set(g.id, gateError({ ...g, ...dates, status: effectiveStatus(g.status, dates, now) }));
    agencies.set(g.id, g.agency_id);
  }
  inputs.forEach((input, i) => {
    if (!input.consultationId) return;
    // A consultation not returned does not exist.
    const closed = gates.has(input.consultationId)
      ? gates.get(input.consultationId)
      : gateError(null);
    if (closed) results[i] = { status: "rejected", error: closed };
  });
  const created = new Set(written?.created ?? []);

  // What was just inserted is known here; only ids that already existed are read back.
  const byId = new Map<string, AnnotationRow>();
  for (const r of rows) {
    if (!created.has(r.id)) continue;
    const { ord: _, ...stored } = r;
    byId.set(r.id, {
      ...stored,
      hidden_reason: null,
      agree_count: 0,
      disagree_count: 0,
      cluster_id: null,
      author_name: user.display_name,
      author_role: user.role,
      agency_id: r.consultation_id ? (agencies.get(r.consultation_id) ?? null) : null,
    });
  }
  const existing = [
    ...new Set(rows.filter((r) => !created.has(r.id) && !results[r.ord]).map((r) => r.id)),
  ];
  if (existing.length)
    for (const r of await selectAnnotations(db).where("a.id", "in", existing).execute())
      byId.set(r.id, r);
  inputs.forEach((input, i) => {
    if (results[i]) return;
    const row = byId.get(input.id);
    const mine = row && row.author_id === user.id;
    if (!row || !mine) {
      results[i] = {
        status: "rejected",
        error: new AppError("conflict", "this annotation id is already taken; make a new UUIDv7"),
      };
      return;
    }
    results[i] = {
      status: "applied",
      row,
      created: created.has(input.id) && firstIndex.get(input.id) === i,
    };
  });
  return results as CommandResult[];
}
