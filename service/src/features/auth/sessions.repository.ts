import { sql } from "kysely";
import { batcher, perDb } from "../../db/batcher.ts";
import type { Db } from "../../db/connect.ts";
import type { AuthUser } from "../../http/context.ts";
import { hashToken, newSessionToken } from "./tokens.ts";

export async function startSession(db: Db, userId: string, now: Date, days: number) {
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  await db
    .insertInto("sessions")
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

export type SessionCheck = { ok: true; user: AuthUser } | { ok: false; reason: string };

/** A session with its person, as sessionsByHash reads it. */
export interface SessionRow extends AuthUser {
  token_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
}

/** The sessions of these token hashes, with their people. */
export function sessionsByHash(db: Db, hashes: string[]) {
  return (
    db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select([
        "sessions.token_hash",
        "sessions.expires_at",
        "sessions.revoked_at",
        "users.id",
        "users.email",
        "users.display_name",
        "users.role",
        "users.agency_id",
        "users.created_at",
      ])
      // One array parameter, so batches of every size share one prepared statement.
      .where("sessions.token_hash", "=", sql<string>`any(${sql.val([...new Set(hashes)])}::text[])`)
  );
}

/** Whether a session (or none found) lets its bearer in at `now`. */
export function checkSession(row: SessionRow | undefined, now: Date): SessionCheck {
  if (!row || row.revoked_at)
    return { ok: false, reason: "this session is not valid; sign in again" };
  if (row.expires_at <= now)
    return { ok: false, reason: "this session has expired; sign in again" };
  const { token_hash: _h, expires_at: _e, revoked_at: _r, ...user } = row;
  return { ok: true, user };
}

/** Many bearer tokens at once, in one statement; one answer per token, in order. */
export async function resolveSessions(
  db: Db,
  items: { token: string; now: Date }[],
): Promise<SessionCheck[]> {
  const hashes = items.map((i) => hashToken(i.token));
  const rows = await sessionsByHash(db, hashes).execute();
  const byHash = new Map(rows.map((r) => [r.token_hash, r]));
  return items.map((item, i) => checkSession(byHash.get(hashes[i] as string), item.now));
}

/**
 * resolveSession for requests: the lookups of requests that arrive together
 * share one statement (see db/batcher.ts), so signing every request costs a
 * fraction of a round trip under load and stays exact (no cached session
 * outlives its revocation).
 */
export const sessionLookup = perDb((db: Db) =>
  batcher((items: { token: string; now: Date }[]) => resolveSessions(db, items), {
    maxBatch: 500,
    maxInFlight: 1,
  }),
);

export async function endSession(db: Db, token: string, now: Date) {
  await db
    .updateTable("sessions")
    .set({ revoked_at: now })
    .where("token_hash", "=", hashToken(token))
    .execute();
}

export async function endAllSessions(db: Db, userId: string, now: Date) {
  await db
    .updateTable("sessions")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
}
