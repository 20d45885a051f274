import { sql } from "kysely";
import type { Db } from "../../db/connect.ts";

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
 * Counts one more hit on each key in its current fixed window, in one
 * statement shared by every instance: a new window starts the count again.
 * A row whose window is newer (another instance's clock ran ahead) keeps it.
 */
export async function hit(
  db: Db,
  keys: { key: string; seconds: number }[],
  now: Date,
): Promise<Hit[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .insertInto("rate_limits")
    .values(
      keys.map(({ key, seconds }) => {
        const w = windowOf(now, seconds);
        return { key, window_start: w.start, hits: 1, expires_at: w.end };
      }),
    )
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        hits: sql<number>`case when rate_limits.window_start >= excluded.window_start then rate_limits.hits + 1 else 1 end`,
        window_start: sql<Date>`greatest(rate_limits.window_start, excluded.window_start)`,
        expires_at: sql<Date>`greatest(rate_limits.expires_at, excluded.expires_at)`,
      }),
    )
    .returning(["key", "hits", "expires_at"])
    .execute();
  return rows.map((r) => ({ key: r.key, hits: r.hits, resetsAt: r.expires_at }));
}

/** Forgets a key (a successful sign-in clears its failures). */
export async function clearKey(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Deletes windows that have ended; returns how many. */
export async function sweepExpired(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom("rate_limits").where("expires_at", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
