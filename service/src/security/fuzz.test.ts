// Extends zod with .openapi before any schema of @margin/model is made (as the app does).
import "@hono/zod-openapi";
import { errorCodes } from "@margin/model";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../test/backends.ts";
import { annotationInput, populate, type TestService } from "../test/harness.ts";
import { noLimits, startServiceWith } from "./test-service.ts";

/** Runs per route: enough to find the common failures while the suite stays short. */
const RUNS = 30;
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface Route {
  method: string;
  path: string;
  hasBody: boolean;
}

/** Anything a client might send as a JSON body, except a valid one. */
const anyBody = fc.oneof(
  // Objects with keys no schema has (strict objects refuse them).
  fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue({ maxDepth: 3 }), {
    minKeys: 1,
    maxKeys: 5,
  }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
  // Deep nesting.
  fc.integer({ min: 50, max: 400 }).map((n) => JSON.parse(`${"[".repeat(n)}${"]".repeat(n)}`)),
  // Huge or odd numbers and strings where ids and counts go.
  fc.record({
    id: fc.oneof(fc.string(), fc.integer(), fc.constant("0".repeat(1000))),
    [`x${"_".repeat(3)}`]: fc.constant(1),
  }),
);
const rawBody = fc.oneof(
  anyBody.map((v) => JSON.stringify(v)),
  fc.string(), // mostly not JSON
  fc.constantFrom("{", '{"a":', "[1,2", "nul", "\u0000", "{}{}", '{"__proto__":{"x":1}}', ""),
  fc.constant(undefined),
);
const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant("application/json") },
  fc.constantFrom(
    "text/plain",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/merge-patch+json",
  ),
  fc.string(),
);
const queryString = fc
  .array(fc.tuple(fc.string(), fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.uuid())), {
    maxLength: 4,
  })
  .map((pairs) =>
    pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
  );
const param = (real: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(real) },
    fc.uuid(),
    fc.string({ minLength: 1 }),
    fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
    fc.constantFrom("..", "%00", "0", "-1", "9".repeat(40), "null", "undefined", "%2e%2e"),
  );

describe.each(backends)("malformed input on every route (%s)", (kind) => {
  let s: TestService;
  let w: Awaited<ReturnType<typeof populate>>;
  let routes: Route[];
  const real: Record<string, string> = {};

  /** Row counts of every table (rate-limit windows aside: counting requests is their job). */
  const counts = async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not like 'kysely_%' and table_name <> 'rate_limits'
      order by table_name`.execute(s.db);
    const out: Record<string, number> = {};
    for (const { table_name } of tables.rows) {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(s.db);
      out[table_name] = Number(r.rows[0]?.n);
    }
    return out;
  };

  beforeAll(async () => {
    s = await startServiceWith(kind, noLimits);
    w = await populate(s);
    const v = await s.call("POST", `/v1/consultations/${w.consultationId}/versions`, {
      token: w.official.token,
      body: { paragraphs: [{ key: "art-30.p1", text: "Article 30. Forty hours a week." }] },
    });
    expect(v.status).toBe(201);
    const a = await s.call("POST", "/v1/annotations", {
      token: w.alice.token,
      body: annotationInput(w.consultationId),
    });
    const r = await s.call("POST", `/v1/consultations/${w.consultationId}/responses`, {
      token: w.official.token,
      body: {
        target: { type: "annotation", id: a.body.id },
        text: "Thank you.",
        disposition: "explained",
      },
    });
    real.annotations = a.body.id;
    real.responses = r.body.id;
    real.agencies = w.agency.id;
    real.consultations = w.consultationId;
    real.version = "1";
    const doc = (await s.call("GET", "/openapi.json")).body;
    routes = Object.entries(
      doc.paths as Record<string, Record<string, { requestBody?: unknown }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).map(([m, op]) => ({
        method: m.toUpperCase(),
        path,
        hasBody: !!op.requestBody,
      })),
    );
  });
  afterAll(() => s?.close());

  it("answers 4xx with the error shape to every malformed write, never 5xx, and stores nothing", async () => {
    expect(routes.length).toBeGreaterThan(35);
    const failures: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const before = await counts();
      const segments = route.path.split("/");
      // The real id of what a parameter names (the segment before it), fuzzed sometimes.
      const paramArbs = segments.map((seg, i) =>
        seg.startsWith("{")
          ? param(seg === "{version}" ? "1" : (real[segments[i - 1] as string] ?? "x"))
          : fc.constant(seg),
      );
      // A write whose body is not required might succeed with a real session (log out): no valid token there.
      const tokens = route.hasBody
        ? fc.oneof(
            fc.constant(w.admin.token),
            fc.constant(w.official.token),
            fc.constant(w.alice.token),
            fc.constant(undefined),
            fc.string().map((t) => `garbage ${t}`),
          )
        : fc.oneof(
            fc.constant(undefined),
            fc.string().map((t) => `mgn_${t}`),
          );
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...paramArbs),
          queryString,
          rawBody,
          contentType,
          tokens,
          fc.option(fc.string(), { nil: undefined }),
          async (parts, query, body, type, token, ifMatch) => {
            const path = parts
              .map((p, i) => (segments[i]?.startsWith("{") ? encodeURIComponent(p) : p))
              .join("/");
            const headers: Record<string, string> = {};
            if (body !== undefined) headers["content-type"] = type;
            if (ifMatch !== undefined) headers["if-match"] = ifMatch;
            if (token?.startsWith("garbage ")) headers.authorization = token.slice(8);
            const method = route.method;
            const write = WRITES.has(method);
            const res = await s.call(method, `${path}${query ? `?${query}` : ""}`, {
              token: token?.startsWith("garbage ") ? undefined : token,
              headers,
              body: write ? (body ?? undefined) : undefined,
            });
            requests++;
            const where = `${method} ${path}?${query} ${JSON.stringify(body)?.slice(0, 200)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`;
            if (res.status >= 500) failures.push(`5xx: ${where}`);
            if (write && (res.status < 400 || res.status >= 500))
              failures.push(`not 4xx: ${where}`);
            if (res.status >= 400) {
              const e = res.body?.error;
              const ok =
                e &&
                typeof e.code === "string" &&
                typeof e.message === "string" &&
                e.code in errorCodes &&
                errorCodes[e.code as keyof typeof errorCodes] === res.status;
              if (!ok) failures.push(`shape: ${where}`);
            }
            return true;
          },
        ),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
      );
      const after = await counts();
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`stored something: ${route.method} ${route.path}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(requests).toBe(routes.length * RUNS);
  }, 120_000);
});
