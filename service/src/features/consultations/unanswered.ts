import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { listPoints, pendingComments } from "../accountability/points.repository.ts";

/**
 * How many points raised on a consultation still wait for an official
 * answer. Comments not yet folded into a point count too: nothing is
 * concluded over a comment nobody has looked at.
 */
export async function unansweredPoints(
  db: Kysely<Database>,
  consultationId: string,
  now = new Date(),
): Promise<number> {
  const points = await listPoints(db, consultationId, now, now);
  return points.filter((p) => !p.answered).length + (await pendingComments(db, consultationId));
}
