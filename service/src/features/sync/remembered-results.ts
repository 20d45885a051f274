import type { PushResult } from "@margin/model";
import { type Kysely, sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";
import type { AuthUser } from "../../http/context.ts";
import { selectAnnotations, toAnnotation } from "../annotations/annotations.repository.ts";

/**
 * What `applied_mutations` keeps of a result: its outcome and which annotation, not the
 * annotation itself. Storing the whole answer doubled what a push writes (about 880 bytes
 * per mutation beside the comment's own row); a replay is rare and reads the annotation back.
 */
export type RememberedResult =
  | { status: "applied"; id: string }
  | { status: "conflict"; reason: string; id: string }
  | Omit<Extract<PushResult, { status: "rejected" }>, "key">;

export function toRemembered(result: PushResult): RememberedResult {
  switch (result.status) {
    case "applied":
      return { status: "applied", id: result.annotation.id };
    case "conflict":
      return { status: "conflict", reason: result.reason, id: result.server.id };
    case "rejected":
      return { status: "rejected", error: result.error };
  }
}

/**
 * The stored outcomes of these keys of this person, one index probe per key whatever the
 * statistics say: `key = any(...)` let the planner, misled on a young table, read all of the
 * person's remembered results and filter them (26 ms per push of 500 at 10,000 earlier
 * results, 66 ms at 40,000). LIMIT keeps the lateral subquery from being flattened into a
 * join it could plan the same way.
 */
export function rememberedFor(userId: string, keys: string[]) {
  return sql<{ key: string; result: unknown }>`
    select k.key, m.result
      from unnest(${sql.val(keys)}::uuid[]) as k(key)
      cross join lateral (
        select result from applied_mutations
         where user_id = ${userId} and key = k.key
         limit 1
      ) m`;
}

/**
 * The results already given for these keys of this person. The outcome is the one given
 * then; the annotation is as it stands now (an edit since, in the same push or later, shows),
 * which is the copy the client should keep anyway.
 */
export async function recallResults(
  tx: Kysely<Database>,
  user: AuthUser,
  keys: string[],
): Promise<Map<string, PushResult>> {
  const recalled = new Map<string, PushResult>();
  if (keys.length === 0) return recalled;
  const { rows } = await rememberedFor(user.id, keys).execute(tx);
  const remembered = rows.map((r) => ({ key: r.key, result: r.result as RememberedResult }));
  const ids = remembered.flatMap(({ result }) => ("id" in result ? [result.id] : []));
  const annotations = new Map(
    ids.length
      ? (
          await selectAnnotations(tx)
            .where("a.id", "in", [...new Set(ids)])
            .execute()
        ).map((r) => [r.id, toAnnotation(r, user)])
      : [],
  );
  for (const { key, result } of remembered) {
    if (result.status === "rejected") {
      recalled.set(key, { key, ...result });
      continue;
    }
    // Annotations are never deleted (withdrawing keeps the row), so the one named is there.
    const annotation = annotations.get(result.id);
    if (!annotation) throw new Error(`remembered result of ${key} names a missing annotation`);
    recalled.set(
      key,
      result.status === "applied"
        ? { key, status: "applied", annotation }
        : { key, status: "conflict", reason: result.reason, server: annotation },
    );
  }
  return recalled;
}

export async function rememberResults(
  tx: Kysely<Database>,
  user: AuthUser,
  fresh: { key: string; result: PushResult }[],
): Promise<void> {
  if (fresh.length === 0) return;
  const rows = fresh.map(({ key, result }) => ({ key, result: toRemembered(result) }));
  await sql`insert into applied_mutations (user_id, key, result)
            select ${user.id}::uuid, r.key, r.result
              from jsonb_to_recordset(${jsonb(rows)}) as r(key uuid, result jsonb)
            on conflict do nothing`.execute(tx);
}
