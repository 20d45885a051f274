import type { Point } from "@margin/model";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";

/** A point counts as a campaign when this many people sent (nearly) the same text. */
export const CAMPAIGN_PEOPLE = 5;

interface PointRow {
  id: string;
  paragraph_key: string | null;
  size: number;
  people: number;
  agree: number;
  support: number;
  oppose: number;
  neutral: number;
  first_at: Date;
  rep_id: string;
  rep_text: string;
  rep_stance: "support" | "oppose" | "neutral";
  response_ids: string[] | null;
}

/**
 * Every point of a consultation with its counts and the published answers
 * that cover it: an answer to the point itself, to its paragraph, or to any
 * comment folded into it. Points whose comments were all withdrawn or hidden
 * are not points any more.
 */
export async function listPoints(
  db: Kysely<Database>,
  consultationId: string,
  respondBy: Date,
  now: Date,
): Promise<Point[]> {
  const { rows } = await sql<PointRow>`
    with members as (
      select cluster_id,
             count(*)::int as size,
             count(distinct author_id)::int as people,
             coalesce(sum(agree_count), 0)::int as agree,
             (count(*) filter (where stance = 'support'))::int as support,
             (count(*) filter (where stance = 'oppose'))::int as oppose,
             (count(*) filter (where stance = 'neutral'))::int as neutral,
             min(created_at) as first_at
        from annotations
       where consultation_id = ${consultationId} and parent_id is null and status = 'visible' and cluster_id is not null
       group by cluster_id
    ),
    covered as (
      select k.id as cluster_id, array_agg(distinct r.id) as response_ids
        from clusters k
        join responses r on r.consultation_id = k.consultation_id and r.status = 'published'
       where k.consultation_id = ${consultationId}
         and ((r.target_type = 'cluster' and r.target_id = k.id::text)
           or (r.target_type = 'paragraph' and r.target_id = k.paragraph_key)
           or (r.target_type = 'annotation' and exists (
                 select 1 from annotations a where a.id::text = r.target_id and a.cluster_id = k.id)))
       group by k.id
    )
    select k.id, k.paragraph_key, m.size, m.people, m.agree, m.support, m.oppose, m.neutral, m.first_at,
           rep.id as rep_id, rep.text as rep_text, rep.stance as rep_stance, c.response_ids
      from clusters k
      join members m on m.cluster_id = k.id
      join lateral (
        select a.id, a.text, a.stance from annotations a
         where a.cluster_id = k.id and a.status = 'visible' and a.parent_id is null
         order by (a.id = k.representative_id) desc, a.id
         limit 1
      ) rep on true
      left join covered c on c.cluster_id = k.id
     where k.consultation_id = ${consultationId}
     order by m.size desc, m.first_at`.execute(db);
  return rows.map((r) => {
    const answered = (r.response_ids?.length ?? 0) > 0;
    return {
      id: r.id,
      paragraphKey: r.paragraph_key,
      size: r.size,
      people: r.people,
      agree: r.agree,
      stance: { support: r.support, oppose: r.oppose, neutral: r.neutral },
      representative: { id: r.rep_id, text: r.rep_text, stance: r.rep_stance },
      campaign: r.people >= CAMPAIGN_PEOPLE,
      firstAt: new Date(r.first_at).toISOString(),
      answered,
      overdue: !answered && now > respondBy,
      responseIds: r.response_ids ?? [],
    };
  });
}

/** Visible top-level comments that clustering has not reached yet. */
export async function pendingComments(
  db: Kysely<Database>,
  consultationId: string,
): Promise<number> {
  const row = await db
    .selectFrom("annotations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("consultation_id", "=", consultationId)
    .where("parent_id", "is", null)
    .where("status", "=", "visible")
    .where("cluster_id", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
