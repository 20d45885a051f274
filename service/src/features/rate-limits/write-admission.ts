import { sql } from "kysely";
import { batcher, perDb } from "../../db/batcher.ts";
import type { Db } from "../../db/connect.ts";
import { jsonb } from "../../db/jsonb.ts";
import {
  checkSession,
  type SessionCheck,
  type SessionRow,
  sessionsByHash,
} from "../auth/sessions.repository.ts";
import { hashToken } from "../auth/tokens.ts";
import {
  addTallies,
  answerHits,
  type Hit,
  type KeyWindow,
  talliesFrom,
  tally,
  windowOf,
} from "./rate-limits.repository.ts";

/** The key a signed-in person's writes count against. */
export const accountKey = (userId: string) => `w:u:${userId}`;

export interface WriteToAdmit {
  /** The bearer token, if one was sent. */
  token: string | null;
  /** Keys counted whoever sends it (the address, sign-ups). */
  keys: KeyWindow[];
  /** Window of the per-account count, counted when the token is a live session. */
  accountSeconds: number;
  now: Date;
}

export interface Admission {
  /** null when no token was sent. */
  session: SessionCheck | null;
  /** Counts of `keys`, then of the account's key when the session is live. */
  hits: Hit[];
}

/**
 * Who sends each write and what it counts against, in one statement for a
 * whole batch of writes: the sessions are read, and the counts of the
 * addresses and of the accounts those sessions belong to are added, in the
 * same round trip. A write thus costs one statement before its route instead
 * of two (read the session, then count), which under a deadline flood is a
 * whole stage of waiting less for every request. The session rule and the
 * counting are the ones sessionLookup and hitMany use.
 */
export async function admitWrites(db: Db, items: WriteToAdmit[]): Promise<Admission[]> {
  const hashes = items.map((i) => (i.token === null ? null : hashToken(i.token)));
  const latest = new Date(Math.max(...items.map((i) => i.now.getTime())));
  const claims = items.flatMap((item, i) => {
    const hash = hashes[i];
    if (hash == null) return [];
    const w = windowOf(latest, item.accountSeconds);
    return [{ token_hash: hash, now: item.now, window_start: w.start, expires_at: w.end }];
  });
  const counts = tally(items);
  const { rows } = await sql<{
    sessions: SessionRow[];
    hits: { key: string; hits: number; expires_at: string }[];
  }>`
    with sess as (${sessionsByHash(
      db,
      hashes.filter((h) => h !== null),
    )}),
    claims as (
      select * from jsonb_to_recordset(${jsonb(claims)})
          as c(token_hash text, now timestamptz, window_start timestamptz, expires_at timestamptz)
    ),
    wanted as (
      ${talliesFrom(counts.values())}
      union all
      -- checkSession's rule, in SQL: an account is counted only for a live session. Should
      -- the two ever disagree, answerHits throws for the uncounted key instead of letting it by.
      select ${accountKey("")}::text || s.id::text, min(c.window_start), min(c.expires_at), count(*)::int
        from claims c join sess s using (token_hash)
       where s.revoked_at is null and s.expires_at > c.now
       group by s.id
    ),
    counted as (${addTallies(sql`select * from wanted`)})
    select (select coalesce(json_agg(sess), '[]') from sess) as sessions,
           (select coalesce(json_agg(counted), '[]') from counted) as hits,
           -- Counts are not worth a wait for the disk: a crash may forget the last
           -- fraction of a second of them (never corrupt them), and no write waits for a
           -- WAL flush before its route (admitting a push of 500 took 4.0-4.8 ms with the
           -- wait, 2.3-3.8 ms without, on the bench machine).
           set_config('synchronous_commit', 'off', true) as relaxed`.execute(db);
  const answer = rows[0] ?? { sessions: [], hits: [] };
  const byHash = new Map(
    answer.sessions.map((r) => [
      r.token_hash,
      {
        ...r,
        expires_at: new Date(r.expires_at),
        revoked_at: r.revoked_at === null ? null : new Date(r.revoked_at),
        created_at: new Date(r.created_at),
      },
    ]),
  );
  const sessions = items.map((item, i) => {
    const hash = hashes[i];
    return hash == null ? null : checkSession(byHash.get(hash), item.now);
  });
  const requestKeys = items.map((item, i) => {
    const keys = item.keys.map((k) => k.key);
    const s = sessions[i];
    return s?.ok ? [...keys, accountKey(s.user.id)] : keys;
  });
  const hits = answerHits(requestKeys, answer.hits);
  return items.map((_, i) => ({ session: sessions[i] ?? null, hits: hits[i] ?? [] }));
}

/** admitWrites for requests: writes that arrive together are admitted by one statement. */
export const writeAdmission = perDb((db: Db) =>
  batcher((items: WriteToAdmit[]) => admitWrites(db, items), { maxBatch: 500, maxInFlight: 1 }),
);
