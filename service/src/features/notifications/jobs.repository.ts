import { type Kysely, sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";

/** Queues work; a job with a dedupe key already queued (or done) is not queued again. */
export async function enqueue(
  db: Kysely<Database>,
  job: { kind: string; payload: Record<string, unknown>; dedupeKey?: string; runAt?: Date },
): Promise<boolean> {
  const row = await db
    .insertInto("jobs")
    .values({
      kind: job.kind,
      payload: jsonb(job.payload),
      dedupe_key: job.dedupeKey ?? null,
      run_at: job.runAt ?? new Date(),
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return !!row;
}

/**
 * Leases up to `limit` due jobs to this instance. The lease is committed
 * before any work starts, so a job being delivered is invisible to other
 * instances until it is done or its lease runs out (the instance died).
 */
export async function claimJobs(db: Kysely<Database>, now: Date, limit: number, leaseMs: number) {
  const { rows } = await sql<{
    id: number;
    kind: string;
    payload: Record<string, unknown>;
    attempts: number;
  }>`
    update jobs set locked_until = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1
     where id in (select id from jobs
                   where done_at is null and run_at <= ${now} and (locked_until is null or locked_until < ${now})
                   order by run_at limit ${limit} for update skip locked)
    returning id, kind, payload, attempts`.execute(db);
  return rows;
}

export async function completeJob(db: Kysely<Database>, id: number, now: Date) {
  await db
    .updateTable("jobs")
    .set({ done_at: now, locked_until: null, last_error: null })
    .where("id", "=", id)
    .execute();
}

/** Tries again later, backing off; after `maxAttempts` the job is closed with its last error. */
export async function failJob(
  db: Kysely<Database>,
  id: number,
  attempts: number,
  error: string,
  now: Date,
  maxAttempts = 10,
) {
  const giveUp = attempts >= maxAttempts;
  const delay = Math.min(3_600_000, 2 ** attempts * 5_000);
  await db
    .updateTable("jobs")
    .set({
      last_error: error.slice(0, 1000),
      locked_until: null,
      run_at: new Date(now.getTime() + delay),
      done_at: giveUp ? now : null,
    })
    .where("id", "=", id)
    .execute();
}
