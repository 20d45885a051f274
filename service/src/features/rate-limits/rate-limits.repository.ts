import { sql } from "kysely";
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

/**
 * Counts the hits of many requests in one statement shared by every instance:
 * each key gets one hit per request naming it, in its current fixed window
 * (as of the latest `now` given), and a new window starts the count again. A
 * row whose window is newer (another instance's clock ran ahead) keeps it.
 * Each request is answered the count it would have seen had the requests
 * come one after another, in the order given, so a batch lets through no
 * more than the limit. Rows are written in key order: two batches never wait
 * on each other in a cycle.
 */
export async function hitMany(
  db: Db,
  requests: { keys: { key: string; seconds: number }[]; now: Date }[],
): Promise<Hit[][]> {
  const latest = Math.max(...requests.map((r) => r.now.getTime()));
  const counts = new Map<
    string,
    { key: string; window_start: Date; expires_at: Date; n: number }
  >();
  for (const r of requests)
    for (const { key, seconds } of r.keys) {
      const c = counts.get(key);
      if (c) c.n++;
      else {
        const w = windowOf(new Date(latest), seconds);
        counts.set(key, { key, window_start: w.start, expires_at: w.end, n: 1 });
      }
    }
  if (counts.size === 0) return requests.map(() => []);
  const { rows } = await sql<{ key: string; hits: number; expires_at: Date }>`
    insert into rate_limits as rl (key, window_start, hits, expires_at)
    select r.key, r.window_start, r.n, r.expires_at
      from jsonb_to_recordset(${jsonb([...counts.values()])})
           as r(key text, window_start timestamptz, expires_at timestamptz, n int)
     order by r.key
    on conflict (key) do update set
      hits = case when rl.window_start >= excluded.window_start then rl.hits + excluded.hits
                  else excluded.hits end,
      window_start = greatest(rl.window_start, excluded.window_start),
      expires_at = greatest(rl.expires_at, excluded.expires_at)
    returning rl.key, rl.hits, rl.expires_at`.execute(db);
  const total = new Map(rows.map((r) => [r.key, r]));
  const given = new Map<string, number>();
  return requests.map((r) =>
    r.keys.map(({ key }) => {
      const row = total.get(key);
      if (!row) throw new Error(`rate limit key ${key} was not counted`);
      const before = given.get(key) ?? 0;
      given.set(key, before + 1);
      const n = counts.get(key)?.n ?? 1;
      return { key, hits: row.hits - n + 1 + before, resetsAt: new Date(row.expires_at) };
    }),
  );
}

/** hitMany for requests: those that arrive together are counted in one statement. */
export const hits = perDb((db: Db) =>
  batcher(
    (requests: { keys: { key: string; seconds: number }[]; now: Date }[]) => hitMany(db, requests),
    { maxBatch: 500, maxInFlight: 1 },
  ),
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
