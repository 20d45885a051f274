import type { PublicPerson } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { selectResponses } from "../responses/responses.repository.ts";
import { accountability } from "./accountability.ts";
import { listPoints, pendingComments } from "./points.repository.ts";

const DAY = 86_400_000;

/** The consultation's points with who answered each first and when. */
export async function accountabilityOf(
  db: Kysely<Database>,
  c: { id: string; respondBy: string; officials: PublicPerson[] },
  now: Date,
) {
  const respondBy = new Date(c.respondBy);
  const points = await listPoints(db, c.id, respondBy, now);
  const responses = await selectResponses(db)
    .where("r.consultation_id", "=", c.id)
    .where("r.status", "=", "published")
    .execute();
  const byId = new Map(responses.map((r) => [r.id, r]));
  const credited = new Map<string, { official: PublicPerson; points: number }>();
  const daysToAnswer: number[] = [];
  for (const p of points) {
    const answers = p.responseIds.flatMap((id) => {
      const r = byId.get(id);
      return r?.published_at ? [{ ...r, published_at: r.published_at }] : [];
    });
    const first = answers.sort((a, b) => a.published_at.getTime() - b.published_at.getTime())[0];
    if (!first) continue;
    const who = credited.get(first.official_id) ?? {
      official: {
        id: first.official_id,
        displayName: first.official_name,
        role: first.official_role,
      },
      points: 0,
    };
    who.points++;
    credited.set(first.official_id, who);
    daysToAnswer.push(
      Math.max(0, ((first.published_at as Date).getTime() - Date.parse(p.firstAt)) / DAY),
    );
  }
  const report = accountability({
    consultationId: c.id,
    respondBy,
    pending: await pendingComments(db, c.id),
    points,
    assigned: c.officials,
    answeredBy: [...credited.values()],
  });
  return { report, points, daysToAnswer };
}
