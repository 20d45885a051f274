import { type AnnotationCreate, canonicalUrl } from "@margin/model";
import { sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { AuthUser } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { consultationGate, gateError } from "../consultations/consultation-gate.ts";
import { recordChanges, type Tx } from "../sync/change-log.ts";
import { type CommandResult, newAnnotationRow } from "./annotations.commands.ts";
import { type AnnotationRow, selectAnnotations } from "./annotations.repository.ts";

/**
 * Many new top-level comments at once, as an offline outbox delivers them:
 * one gate check per consultation, one insert, one change-log bump per scope
 * and one read back, instead of five statements per comment. Same rules and
 * same results as `createAnnotation` (replies go through that one).
 */
export async function createAnnotationsBulk(
  tx: Tx,
  user: AuthUser,
  inputs: AnnotationCreate[],
  now: Date,
): Promise<CommandResult[]> {
  const results: (CommandResult | undefined)[] = new Array(inputs.length);
  const gates = new Map<string, AppError | null>();
  const agencies = new Map<string, string>();
  for (const id of new Set(inputs.flatMap((i) => (i.consultationId ? [i.consultationId] : [])))) {
    const gate = await consultationGate(tx, id, now);
    gates.set(id, gateError(gate));
    if (gate) agencies.set(id, gate.agency_id);
  }
  // The first of two creates with one id in a batch wins; the second is answered like a retry.
  const firstIndex = new Map<string, number>();
  const rows = inputs.flatMap((input, i) => {
    const closed = input.consultationId ? gates.get(input.consultationId) : null;
    if (closed) {
      results[i] = { status: "rejected", error: closed };
      return [];
    }
    if (firstIndex.has(input.id)) return [];
    firstIndex.set(input.id, i);
    const where = {
      consultationId: input.consultationId,
      source: canonicalUrl(input.target.source),
      selectors: input.target.selector,
    };
    return [newAnnotationRow(input, user, now, where)];
  });
  // One JSON parameter for the whole batch: PostgreSQL unpacks it far faster
  // than it binds thousands of separate parameters.
  const inserted = rows.length
    ? (
        await sql<{ id: string; scope: string }>`
          insert into annotations (id, scope, consultation_id, source, selectors, paragraph_key, parent_id, motivation,
                                   text, suggestion, stance, author_id, created_at, modified_at, revision, status)
          select r.id, r.scope, r.consultation_id, r.source, r.selectors, r.paragraph_key, r.parent_id, r.motivation,
                 r.text, r.suggestion, r.stance, r.author_id, r.created_at, r.modified_at, r.revision, r.status
            from jsonb_to_recordset(${jsonb(rows)}) as r(id uuid, scope text, consultation_id uuid, source text, selectors jsonb,
                 paragraph_key text, parent_id uuid, motivation text, text text, suggestion text, stance text, author_id uuid,
                 created_at timestamptz, modified_at timestamptz, revision int, status text)
          on conflict (id) do nothing
          returning id, scope`.execute(tx)
      ).rows
    : [];
  const created = new Set(inserted.map((r) => r.id));
  const byScope = new Map<string, string[]>();
  for (const r of inserted) byScope.set(r.scope, [...(byScope.get(r.scope) ?? []), r.id]);
  for (const [scope, ids] of byScope) await recordChanges(tx, scope, "annotation", ids);

  // What was just inserted is known here; only ids that already existed are read back.
  const byId = new Map<string, AnnotationRow>();
  for (const r of rows) {
    if (!created.has(r.id)) continue;
    byId.set(r.id, {
      ...r,
      hidden_reason: null,
      agree_count: 0,
      disagree_count: 0,
      cluster_id: null,
      author_name: user.display_name,
      author_role: user.role,
      agency_id: r.consultation_id ? (agencies.get(r.consultation_id) ?? null) : null,
    });
  }
  const existing = [...new Set(rows.map((r) => r.id).filter((id) => !created.has(id)))];
  if (existing.length)
    for (const r of await selectAnnotations(tx).where("a.id", "in", existing).execute())
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
