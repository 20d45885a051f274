import { effectiveStatus } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { AppError } from "../../http/errors.ts";

/** The little a write needs to know about a consultation: who owns it and whether it is open. */
export async function consultationGate(db: Kysely<Database>, id: string, now: Date) {
  const row = await db
    .selectFrom("consultations")
    .select(["id", "agency_id", "status", "opens_at", "closes_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return { ...row, status: effectiveStatus(row.status, row, now) };
}

/** Why comments are refused on a consultation in this state, or null when it is open. */
export function gateError(gate: Awaited<ReturnType<typeof consultationGate>>): AppError | null {
  if (!gate) return new AppError("not_found", "the consultation was not found");
  if (gate.status === "open") return null;
  return new AppError(
    "consultation_closed",
    gate.status === "upcoming"
      ? `this consultation opens for comments at ${gate.opens_at.toISOString()}`
      : "this consultation is closed for comments",
  );
}
