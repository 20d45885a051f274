import { type Kysely, sql } from "kysely";

/*
 * `applied_mutations.result` keeps the outcome and the annotation's id, no longer the whole
 * answer (see features/sync/remembered-results.ts): a replay reads the annotation back. There
 * is no way down: the whole answers as given cannot be rebuilt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update applied_mutations
       set result = case result->>'status'
         when 'applied' then jsonb_build_object('status', 'applied', 'id', result->'annotation'->'id')
         when 'conflict' then jsonb_build_object('status', 'conflict', 'reason', result->'reason',
                                                 'id', result->'server'->'id')
         else jsonb_build_object('status', 'rejected', 'error', result->'error')
       end
     where result ? 'key'`.execute(db);
}
