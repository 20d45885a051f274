import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.ts";

export type Tx = Transaction<Database>;

/** `c:<id>` for a consultation, `u:<canonical url>` for any other page. */
export function scopeOf(consultationId: string | null, canonicalSource: string): string {
  return consultationId ? `c:${consultationId}` : `u:${canonicalSource}`;
}

/**
 * Records that an entity changed, under the next number of its scope. Must
 * run inside the writing transaction: the counter row stays locked until
 * commit, so numbers become visible in order (see the migration's note).
 * One statement, meant to be the transaction's last before commit: every
 * writer to the scope waits on that lock, so it is held for as little as can be.
 */
export async function recordChange(
  tx: Tx,
  scope: string,
  entity: "annotation" | "response",
  entityId: string,
): Promise<void> {
  await recordChanges(tx, scope, entity, [entityId]);
}

/** Records many changes of one scope at once: one counter bump for the lot, numbered in order. */
export async function recordChanges(
  tx: Tx,
  scope: string,
  entity: "annotation" | "response",
  entityIds: string[],
): Promise<void> {
  if (entityIds.length === 0) return;
  const n = entityIds.length;
  await sql`
    with bump as (
      insert into sync_scopes (scope, seq) values (${scope}, ${n})
      on conflict (scope) do update set seq = sync_scopes.seq + ${n}
      returning seq
    )
    insert into changes (scope, seq, entity, entity_id)
    select ${scope}, bump.seq - ${n} + ids.ord, ${entity}, ids.id
      from bump, unnest(${sql.val(entityIds)}::uuid[]) with ordinality as ids(id, ord)`.execute(tx);
}
