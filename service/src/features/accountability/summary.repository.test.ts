import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import { manyCitizens, populate, startTestService, type TestService } from "../../test/harness.ts";
import { consultationSummary, consultationSummaryByScan } from "./summary.repository.ts";

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe.each(backends)("per-paragraph counters kept by the database on %s", (backend) => {
  let s: TestService;
  let consultationId: string;
  let authors: string[];
  const rand = prng(20261122);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const paragraphs = [null, "art-1.p1", "art-2.p1", "art-3.p2"];

  beforeAll(async () => {
    s = await startTestService(backend);
    consultationId = (await populate(s)).consultationId;
    authors = (await manyCitizens(s, 6, "counter")).map((u) => u.id);
  });
  afterAll(() => s.close());

  const expectCountersMatchScan = async () =>
    expect(await consultationSummary(s.db, consultationId)).toEqual(
      await consultationSummaryByScan(s.db, consultationId),
    );

  const insertBatch = async (n: number) => {
    const existing = await s.db
      .selectFrom("annotations")
      .select("id")
      .where("consultation_id", "=", consultationId)
      .where("parent_id", "is", null)
      .execute();
    const rows = Array.from({ length: n }, () => ({
      id: randomUUID(),
      scope: `consultation:${consultationId}`,
      consultation_id: consultationId,
      source: "https://gov.example/drafts/labor",
      selectors: sql`'[]'::jsonb`,
      paragraph_key: pick(paragraphs),
      parent_id: existing.length > 0 && rand() < 0.2 ? pick(existing).id : null,
      motivation: pick(["commenting", "questioning", "editing"]),
      text: "a comment",
      stance: pick(["support", "oppose", "neutral"]),
      author_id: pick(authors),
      status: rand() < 0.8 ? "visible" : "hidden",
      agree_count: Math.floor(rand() * 4),
    }));
    await s.db
      .insertInto("annotations")
      .values(rows as never)
      .execute();
  };

  it("agree with a scan of the comments after every kind of write, one row or many at a time", async () => {
    await expectCountersMatchScan();
    for (let step = 0; step < 40; step++) {
      const op = Math.floor(rand() * 6);
      if (op === 0 || step < 3) await insertBatch(1 + Math.floor(rand() * 12));
      else if (op === 1)
        await sql`update annotations set stance = ${pick(["support", "oppose", "neutral"])},
                  agree_count = agree_count + 1
                  where consultation_id = ${consultationId} and random() < 0.3`.execute(s.db);
      else if (op === 2)
        await sql`update annotations set status = case status when 'visible' then 'withdrawn' else 'visible' end
                  where consultation_id = ${consultationId} and random() < 0.2`.execute(s.db);
      else if (op === 3)
        // a new version carrying a paragraph's comments to another one
        await sql`update annotations set paragraph_key = ${pick(paragraphs)}
                  where consultation_id = ${consultationId}
                    and paragraph_key is not distinct from ${pick(paragraphs)}`.execute(s.db);
      else if (op === 4)
        await sql`update annotations set author_id = ${pick(authors)}, motivation = 'editing'
                  where consultation_id = ${consultationId} and random() < 0.15`.execute(s.db);
      else
        await sql`delete from annotations
                  where consultation_id = ${consultationId} and random() < 0.15
                    and id not in (select parent_id from annotations where parent_id is not null)`.execute(
          s.db,
        );
      await expectCountersMatchScan();
    }
    const summary = await consultationSummary(s.db, consultationId);
    expect(summary.totals.comments).toBeGreaterThan(0);
    expect(summary.totals.people).toBeGreaterThan(1);
  });

  it("count each person once when their comments arrive at the same time", async () => {
    const late = (await manyCitizens(s, 1, "racer"))[0]?.id as string;
    const before = await consultationSummary(s.db, consultationId);
    await Promise.all(
      Array.from({ length: 8 }, () =>
        s.db
          .insertInto("annotations")
          .values({
            id: randomUUID(),
            scope: `consultation:${consultationId}`,
            consultation_id: consultationId,
            source: "https://gov.example/drafts/labor",
            selectors: sql`'[]'::jsonb`,
            paragraph_key: "art-9.p9",
            motivation: "commenting",
            text: "at the same time",
            stance: "oppose",
            author_id: late,
          } as never)
          .execute(),
      ),
    );
    const after = await consultationSummary(s.db, consultationId);
    expect(after.totals.people).toBe(before.totals.people + 1);
    expect(after.paragraphs.find((p) => p.paragraphKey === "art-9.p9")).toMatchObject({
      comments: 8,
      people: 1,
    });
    await expectCountersMatchScan();
  });
});
