import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshServerDatabase } from "../support/postgres.ts";
import { type ServiceProcess, startService } from "../support/service-process.ts";

const server = process.env.DATABASE_URL;
if (!server)
  console.warn(
    "two-instances: set DATABASE_URL to a PostgreSQL server to run these (CI does); PGlite serves one process only",
  );

/** The service keeps no state of its own: two processes on one database must act as one service. */
describe.skipIf(!server)("two service processes on one PostgreSQL database", () => {
  let db: Awaited<ReturnType<typeof freshServerDatabase>>;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    db = await freshServerDatabase(server as string);
    // Started together: migrations and the demo seed must not trip over each other.
    [a, b] = await Promise.all([
      startService({ DATABASE_URL: db.url }),
      startService({ DATABASE_URL: db.url }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  const call = async (
    s: ServiceProcess,
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(s.url + path, {
      method,
      headers: {
        ...(body ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };

  let n = 0;
  const id = () => `019b0000-0000-7000-8000-${(++n).toString(16).padStart(12, "0")}`;

  it("shares sign-ins, idempotent creates, revisions and the change log", async () => {
    const consultations = (await call(a, "GET", "/v1/consultations")).body.items;
    expect(consultations).toHaveLength(2);
    expect((await call(b, "GET", "/v1/consultations")).body.items).toHaveLength(2);
    const consultationId = consultations[0].id;

    const reg = await call(a, "POST", "/v1/auth/register", undefined, {
      email: "twin@example.test",
      password: "a long password",
      displayName: "Twin",
    });
    const token = reg.body.token;
    expect((await call(b, "GET", "/v1/auth/me", token)).status).toBe(200);

    const input = {
      id: id(),
      consultationId,
      target: {
        source: "https://gov.example/x",
        selector: [{ type: "TextQuoteSelector", exact: "工資" }],
      },
      text: "Shared by both instances",
    };
    expect((await call(a, "POST", "/v1/annotations", token, input)).status).toBe(201);
    expect((await call(b, "POST", "/v1/annotations", token, input)).status).toBe(200);
    expect(
      (
        await call(
          b,
          "PATCH",
          `/v1/annotations/${input.id}`,
          token,
          { text: "edited on B" },
          { "if-match": "1" },
        )
      ).status,
    ).toBe(200);
    const stale = await call(
      a,
      "PATCH",
      `/v1/annotations/${input.id}`,
      token,
      { text: "edited on A" },
      { "if-match": "1" },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error.current.text).toBe("edited on B");

    await call(b, "POST", "/v1/auth/logout", token);
    expect((await call(a, "GET", "/v1/auth/me", token)).status).toBe(401);
  });

  it("answers the same push racing on both instances once, and numbers every change once", async () => {
    const consultationId = (await call(a, "GET", "/v1/consultations")).body.items[0].id;
    const reg = await call(b, "POST", "/v1/auth/register", undefined, {
      email: "racer@example.test",
      password: "a long password",
      displayName: "Racer",
    });
    const token = reg.body.token;
    const mutations = Array.from({ length: 40 }, (_, i) => ({
      type: "annotation.create",
      key: id(),
      annotation: {
        id: id(),
        consultationId,
        target: {
          source: "https://gov.example/x",
          selector: [{ type: "TextQuoteSelector", exact: "第 1 條" }],
        },
        text: `race ${i}`,
      },
    }));
    const [ra, rb] = await Promise.all([
      call(a, "POST", "/v1/sync/push", token, { mutations }),
      call(b, "POST", "/v1/sync/push", token, { mutations }),
    ]);
    expect(ra.status).toBe(200);
    expect(ra.body).toEqual(rb.body);
    expect(ra.body.results.every((r: { status: string }) => r.status === "applied")).toBe(true);

    // Many writers on both instances at once; every change is pulled exactly once.
    const singles = Array.from({ length: 30 }, (_, i) =>
      call(i % 2 ? a : b, "POST", "/v1/annotations", token, {
        id: id(),
        consultationId,
        target: {
          source: "https://gov.example/x",
          selector: [{ type: "TextQuoteSelector", exact: "第 2 條" }],
        },
        text: `single ${i}`,
      }),
    );
    expect((await Promise.all(singles)).every((r) => r.status === 201)).toBe(true);
    const seen = new Map<string, number>();
    let cursor = 0;
    for (let page = 0; page < 100; page++) {
      const pulled = await call(
        page % 2 ? a : b,
        "GET",
        `/v1/sync/pull?consultation=${consultationId}&since=${cursor}&limit=7`,
      );
      for (const ann of pulled.body.annotations) seen.set(ann.id, (seen.get(ann.id) ?? 0) + 1);
      cursor = pulled.body.cursor;
      if (!pulled.body.hasMore) break;
    }
    // Each of these changed once, so each must come exactly once.
    const created = [
      ...mutations.map((m) => m.annotation.id),
      ...(await Promise.all(singles)).map((r) => r.body.id as string),
    ];
    expect(created).toHaveLength(70);
    expect(created.map((k) => seen.get(k))).toEqual(created.map(() => 1));
  });
});
