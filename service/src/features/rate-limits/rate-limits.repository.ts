import { type RawBuilder, sql } from "kysely";
import { batcher, perDb } from "../../db/batcher.ts";
import type { Db } from "../../db/connect.ts";
import { jsonb } from "../../db/jsonb.ts";

export interface Hit {
  key: string;
  hits: number;
  /** When the window the count belongs to ends. */
  resetsAt: Date;
}

/** The fixed window `now` falls in. */
export function windowOf(now: Date, seconds: number) {
  const ms = seconds * 1000;
  const start = new Date(Math.floor(now.getTime() / ms) * ms);
  return { start, end: new Date(start.getTime() + ms) };
}

/** One key counted by a batch: how many of its requests name it, in which window. */
export interface Tally {
  key: string;
  window_start: Date;
  expires_at: Date;
  n: number;
}

/** The keys of a batch with their counts, each in its window as of the latest `now` given. */
export function tally(requests: { keys: KeyWindow[]; now: Date }[]): Map<string, Tally> {
  const latest = new Date(Math.max(...requests.map((r) => r.now.getTime())));
  const counts = new Map<string, Tally>();
  for (const r of requests)
    for (const { key, seconds } of r.keys) {
      const c = counts.get(key);
      if (c) c.n++;
      else {
        const w = windowOf(latest, seconds);
        counts.set(key, { key, window_start: w.start, expires_at: w.end, n: 1 });
      }
    }
  return counts;
}

export interface KeyWindow {
  key: string;
  seconds: number;
}

/**
 * The statement that adds a batch's tallies (`source`: a query of key,
 * window_start, expires_at, n) to the shared counts. A new window starts the
 * count again; a row whose window is newer (another instance's clock ran
 * ahead) keeps it. Rows are written in key order: two batches never wait on
 * each other in a cycle.
 */
export function addTallies(source: RawBuilder<unknown>) {
  return sql<{ key: string; hits: number; expires_at: Date | string }>`
    insert into rate_limits as rl (key, window_start, hits, expires_at)
    select r.key, r.window_start, r.n, r.expires_at from (${source}) as r order by r.key
    on conflict (key) do update set
      hits = case when rl.window_start >= excluded.window_start then rl.hits + excluded.hits
                  else excluded.hits end,
      window_start = greatest(rl.window_start, excluded.window_start),
      expires_at = greatest(rl.expires_at, excluded.expires_at)
    returning rl.key, rl.hits, rl.expires_at`;
}

/** Tallies as a query for addTallies: one JSON parameter. */
export const talliesFrom = (counts: Iterable<Tally>) =>
  sql`select * from jsonb_to_recordset(${jsonb([...counts])})
      as t(key text, window_start timestamptz, expires_at timestamptz, n int)`;

/**
 * Each request's count as it would have been had the requests come one after
 * another, in the order given, from the totals stored (`rows`), so a batch
 * lets through no more than the limit.
 */
export function answerHits(
  requestKeys: string[][],
  rows: { key: string; hits: number; expires_at: Date | string }[],
): Hit[][] {
  const total = new Map(rows.map((r) => [r.key, r]));
  const inBatch = new Map<string, number>();
  for (const keys of requestKeys) for (const k of keys) inBatch.set(k, (inBatch.get(k) ?? 0) + 1);
  const given = new Map<string, number>();
  return requestKeys.map((keys) =>
    keys.map((key) => {
      const row = total.get(key);
      if (!row) throw new Error(`rate limit key ${key} was not counted`);
      const before = given.get(key) ?? 0;
      given.set(key, before + 1);
      const n = inBatch.get(key) ?? 1;
      return { key, hits: row.hits - n + 1 + before, resetsAt: new Date(row.expires_at) };
    }),
  );
}

/**
 * Counts the hits of many requests in one statement shared by every instance:
 * each key gets one hit per request naming it, in its current fixed window.
 */
export async function hitMany(
  db: Db,
  requests: { keys: KeyWindow[]; now: Date }[],
): Promise<Hit[][]> {
  const counts = tally(requests);
  if (counts.size === 0) return requests.map(() => []);
  const { rows } = await addTallies(talliesFrom(counts.values())).execute(db);
  return answerHits(
    requests.map((r) => r.keys.map((k) => k.key)),
    rows,
  );
}

/** hitMany for requests: those that arrive together are counted in one statement. */
export const hits = perDb((db: Db) =>
  batcher((requests: { keys: KeyWindow[]; now: Date }[]) => hitMany(db, requests), {
    maxBatch: 500,
    maxInFlight: 1,
  }),
);

/** Forgets a key (a successful sign-in clears its failures). */
export async function clearKey(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Deletes windows that have ended; returns how many. */
export async function sweepExpired(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom("rate_limits").where("expires_at", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
