import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, freshDatabase } from "../../test/backends.ts";
import { citizensWithSessions, uuidv7 } from "../../test/harness.ts";
import { rememberedFor } from "./remembered-results.ts";

interface PlanNode {
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

/** Rows of applied_mutations a plan read, kept or filtered out. */
function rowsRead(node: PlanNode): number {
  const own =
    node["Relation Name"] === "applied_mutations" || node["Index Name"] === "applied_mutations_pk"
      ? node["Actual Rows"] * node["Actual Loops"] +
        (node["Rows Removed by Filter"] ?? 0) +
        (node["Rows Removed by Index Recheck"] ?? 0)
      : 0;
  return own + (node.Plans ?? []).reduce((n, child) => n + rowsRead(child), 0);
}

describe.each(backends)("remembered results on %s", (backend) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let userId: string;
  const stored: string[] = [];
  beforeAll(async () => {
    h = await freshDatabase(backend);
    const [user] = await citizensWithSessions(h.db, 1, {
      prefix: "heavy",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    userId = (user as { id: string }).id;
    // A person (or an organisation's account) with a long history of pushes, on a table
    // whose statistics have not caught up yet, as right after a rush.
    const { rows } = await sql<{ key: string }>`
      insert into applied_mutations (user_id, key, result)
      select ${userId}, gen_random_uuid(), '{"status":"rejected","error":{"code":"x","message":"x"}}'
        from generate_series(1, 20000)
      returning key`.execute(h.db);
    stored.push(...rows.slice(0, 250).map((r) => r.key));
  });
  afterAll(() => h.close());

  it("looks up a push's keys one by one instead of reading the person's whole history", async () => {
    const keys = [...stored, ...Array.from({ length: 250 }, () => uuidv7())];
    const { rows } = await rememberedFor(userId, keys).execute(h.db);
    expect(rows.map((r) => r.key).sort()).toEqual([...stored].sort());

    const explained = await sql<
      Record<string, unknown>
    >`explain (analyze, format json) ${rememberedFor(userId, keys)}`.execute(h.db);
    const cell = Object.values(explained.rows[0] ?? {})[0];
    const plan = (typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
    expect(rowsRead((plan[0] as { Plan: PlanNode }).Plan)).toBeLessThanOrEqual(keys.length);
  });
});
