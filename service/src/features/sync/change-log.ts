import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.ts";

export type Tx = Transaction<Database>;

/** `c:<id>` for a consultation, `u:<canonical url>` for any other page. */
export function scopeOf(consultationId: string | null, canonicalSource: string): string {
  return consultationId ? `c:${consultationId}` : `u:${canonicalSource}`;
}

/**
 * Records that an entity changed. Must run inside the writing transaction:
 * the row carries that transaction's id and gets its number only once the
 * transaction is certainly over (`numberChanges`), so writers share no row
 * and never wait on each other.
 */
export async function recordChange(
  tx: Tx,
  scope: string,
  entity: "annotation" | "response",
  entityId: string,
): Promise<void> {
  await recordChanges(tx, scope, entity, [entityId]);
}

/** Records many changes of one scope at once, numbered later in the order given. */
export async function recordChanges(
  tx: Tx,
  scope: string,
  entity: "annotation" | "response",
  entityIds: string[],
): Promise<void> {
  if (entityIds.length === 0) return;
  await sql`
    insert into changes (scope, entity, entity_id)
    select ${scope}, ${entity}, ids.id
      from unnest(${sql.val(entityIds)}::uuid[]) with ordinality as ids(id, ord)
     order by ids.ord`.execute(tx);
}

/**
 * Numbers the scope's changes whose transactions are certainly over (below
 * the snapshot's xmin), after the highest number given so far; see migration
 * 8. Runs on its own, never inside a transaction that has written: its own id
 * would hold the horizon back.
 */
export async function numberChanges(db: Kysely<Database>, scope: string): Promise<void> {
  await sql`select number_changes(${scope})`.execute(db);
}
