/**
 * Issue "Aggregation, the officials' console and accountability": one million
 * comments on one consultation in a real PostgreSQL; the per-paragraph summary
 * over HTTP (target < 200 ms), read from the counters the database keeps as
 * comments are written, beside the same summary computed by scanning the
 * comments (the peer) and the bare SQL count over the same rows (the floor of
 * any scan). The counters must equal the scan.
 */
import postgres from "postgres";
import { openDatabase } from "../../../service/src/db/connect.ts";
import { consultationSummaryByScan } from "../../../service/src/features/accountability/summary.repository.ts";
import { freshServerDatabase } from "../../support/postgres.ts";
import { startService } from "../../support/service-process.ts";

const N = 1_000_000;

async function median(times: number, f: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
}

export default async function run(): Promise<string> {
  const server = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const database = await freshServerDatabase(server);
  const service = await startService({ DATABASE_URL: database.url, MARGIN_DEMO: "true" });
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const consultationId = (await fetch(`${service.url}/v1/consultations`).then((r) => r.json()))
      .items[0].id as string;
    const t0 = performance.now();
    await sql`insert into users (email, password_hash, display_name, role)
              select 'u' || g || '@bench.test', 'x', 'u' || g, 'citizen' from generate_series(1, 200000) g`;
    await sql`insert into annotations (id, scope, consultation_id, source, selectors, paragraph_key, motivation, text, stance, author_id)
              select gen_random_uuid(), ${`c:${consultationId}`}, ${consultationId}, 'https://gov.example/x', '[]'::jsonb,
                     'art-' || (g % 300) || '.p1',
                     (array['commenting','questioning','editing'])[1 + g % 3],
                     'comment ' || g,
                     (array['support','oppose','neutral'])[1 + g % 3],
                     u.id
                from generate_series(1, ${N}) g
                join (select id, row_number() over () as n from users where email like '%@bench.test') u on u.n = 1 + g % 200000`;
    await sql`analyze annotations`;
    const loadMs = performance.now() - t0;
    const url = `${service.url}/v1/consultations/${consultationId}/summary`;
    const first = await fetch(url).then((r) => r.json());
    const httpMs = await median(5, () => fetch(url).then((r) => r.json()));
    const db = await openDatabase({ url: database.url });
    let scan: Awaited<ReturnType<typeof consultationSummaryByScan>> | undefined;
    const scanMs = await median(3, async () => {
      scan = await consultationSummaryByScan(db.db, consultationId);
    });
    await db.close();
    const same = JSON.stringify(scan) === JSON.stringify(first);
    const sqlMs = await median(
      5,
      () =>
        sql`select paragraph_key, count(*) from annotations where consultation_id = ${consultationId} group by 1`,
    );
    return [
      `${N.toLocaleString("en")} comments by 200,000 people on 300 paragraphs of one consultation (loaded in ${(loadMs / 1000).toFixed(1)} s with INSERT … SELECT, counters kept by the triggers included).`,
      "",
      "| measure | median of 5 | target / peer |",
      "|---|---|---|",
      `| GET /v1/consultations/{id}/summary over HTTP | ${httpMs.toFixed(0)} ms | < 200 ms ${httpMs < 200 ? "✅" : "❌"} |`,
      `| peer: the same summary by scanning the comments (grouping sets, in SQL) | ${scanMs.toFixed(0)} ms (median of 3) | equal to the counters: ${same ? "yes ✅" : "NO ❌"} |`,
      `| bare SQL: count per paragraph | ${sqlMs.toFixed(0)} ms | the floor of any scan |`,
      `| totals returned | ${first.totals.comments} comments, ${first.totals.people} people, ${first.paragraphs.length} paragraphs | ${N} |`,
    ].join("\n");
  } finally {
    await sql.end();
    await service.stop();
    await database.drop();
  }
}
