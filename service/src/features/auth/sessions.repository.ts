import type { Db } from "../../db/connect.ts";
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

/** The session's user, or why there is none. */
export async function resolveSession(db: Db, token: string, now: Date) {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.expires_at",
      "sessions.revoked_at",
      "users.id",
      "users.email",
      "users.display_name",
      "users.role",
      "users.agency_id",
      "users.created_at",
    ])
    .where("sessions.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at)
    return { ok: false as const, reason: "this session is not valid; sign in again" };
  if (row.expires_at <= now)
    return { ok: false as const, reason: "this session has expired; sign in again" };
  return { ok: true as const, user: row };
}

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
