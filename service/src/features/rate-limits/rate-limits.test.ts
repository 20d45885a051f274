import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../app.ts";
import { startServiceWith } from "../../security/test-service.ts";
import { backends } from "../../test/backends.ts";
import { annotationInput, populate, type TestService } from "../../test/harness.ts";
import { trustProxyFrom } from "./limits.ts";
import { type Hit, hitMany } from "./rate-limits.repository.ts";

type World = Awaited<ReturnType<typeof populate>>;

const expectLimited = (res: { status: number; body: any; headers: Headers }) => {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  expect(typeof res.body.error.message).toBe("string");
  const retry = Number(res.headers.get("retry-after"));
  expect(retry).toBeGreaterThan(0);
  expect(retry).toBeLessThanOrEqual(3600);
};

describe.each(backends)("rate limits (%s)", (kind) => {
  let s: TestService;
  let w: World;
  const nextWindow = (seconds = 60) => {
    s.clock.now = new Date(s.clock.now.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    s = await startServiceWith(kind, {
      writesPerAccount: 3,
      writesPerIp: 8,
      loginAttempts: 3,
      windowSeconds: 60,
      loginWindowSeconds: 900,
    });
    // Populating signs five people in (writes from this address): start limits afresh after.
    s.clock.now = new Date(Math.ceil(s.clock.now.getTime() / 900_000) * 900_000 + 1000);
    w = await populate(s);
    nextWindow(900);
  });
  afterAll(() => s?.close());

  it("limits writes per account, with Retry-After, and only that account", async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await s.call("POST", "/v1/annotations", {
        token: w.alice.token,
        body: annotationInput(w.consultationId),
      });
      expect(ok.status).toBe(201);
    }
    const refused = await s.call("POST", "/v1/annotations", {
      token: w.alice.token,
      body: annotationInput(w.consultationId),
    });
    expectLimited(refused);
    // Nothing was stored by the refused write.
    const { n } = await s.db
      .selectFrom("annotations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("author_id", "=", w.alice.user.id)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(3);
    // Reading is never limited; someone else may still write.
    expect((await s.call("GET", "/v1/auth/me", { token: w.alice.token })).status).toBe(200);
    expect(
      (
        await s.call("POST", "/v1/annotations", {
          token: w.bob.token,
          body: annotationInput(w.consultationId),
        })
      ).status,
    ).toBe(201);
    nextWindow();
    expect(
      (
        await s.call("POST", "/v1/annotations", {
          token: w.alice.token,
          body: annotationInput(w.consultationId),
        })
      ).status,
    ).toBe(201);
  });

  it("a write whose body is not JSON is answered 400 first, and counts against the limits", async () => {
    nextWindow();
    const notJson = { body: "{not json", headers: { "content-type": "application/json" } };
    for (let i = 0; i < 3; i++) {
      const bad = await s.call("POST", "/v1/annotations", { token: w.admin.token, ...notJson });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("invalid_json");
    }
    // Its admission ran while the body was read: the account's three writes are used up.
    expectLimited(
      await s.call("POST", "/v1/annotations", {
        token: w.admin.token,
        body: annotationInput(w.consultationId),
      }),
    );
    // A token that names no session: the body is judged first, as before; with a body, 401.
    const unknown = "not-a-session-token";
    const bad = await s.call("POST", "/v1/annotations", { token: unknown, ...notJson });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_json");
    const refused = await s.call("POST", "/v1/annotations", {
      token: unknown,
      body: annotationInput(w.consultationId),
    });
    expect(refused.status).toBe(401);
    nextWindow();
  });

  it("limits writes per address, signed in or not, and the limit is shared by two instances", async () => {
    nextWindow();
    const other = createApp({
      db: s.db,
      now: () => s.clock.now,
      sessionDays: 30,
      publicUrl: "http://margin.test",
      limits: { writesPerAccount: 3, writesPerIp: 8 },
    });
    const server = serve({ fetch: other.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        // Alternate instances: wrong passwords are writes too (POST), from one address.
        const base = i % 2 ? otherUrl : s.url;
        const res = await fetch(`${base}/v1/auth/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "bad", password: "x", displayName: "x" }),
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(400));
      expect(statuses.slice(8)).toEqual([429, 429]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("limits sign-ups per address per hour", async () => {
    const t = await startServiceWith(kind, { signupsPerIpPerHour: 2 });
    // Ten minutes into an hour: the window is fixed, so the wait is the rest of it.
    t.clock.now = new Date("2026-11-30T10:10:00Z");
    try {
      const signUp = (i: number) =>
        t.call("POST", "/v1/auth/register", {
          body: {
            email: `farm${i}@example.test`,
            password: "a long password",
            displayName: `n${i}`,
          },
        });
      expect((await signUp(1)).status).toBe(201);
      expect((await signUp(2)).status).toBe(201);
      const third = await signUp(3);
      expectLimited(third);
      expect(Number(third.headers.get("retry-after"))).toBe(50 * 60);
      const stored = await t.db.selectFrom("users").select("email").execute();
      expect(stored.map((u) => u.email).sort()).toEqual([
        "farm1@example.test",
        "farm2@example.test",
      ]);
    } finally {
      await t.close();
    }
  });

  it("takes the address from X-Forwarded-For only when told to trust a proxy", async () => {
    nextWindow();
    // Not trusted: a forged header does not buy a fresh budget.
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await s.call("POST", "/v1/auth/logout", {
        headers: { "x-forwarded-for": `10.0.0.${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);

    const trusting = await startServiceWith(kind, { writesPerIp: 2, trustProxy: 1 });
    try {
      const as = (ip: string) =>
        trusting.call("POST", "/v1/auth/logout", {
          headers: { "x-forwarded-for": `203.0.113.9, ${ip}` },
        });
      expect((await as("198.51.100.1")).status).toBe(401);
      expect((await as("198.51.100.1")).status).toBe(401);
      expectLimited(await as("198.51.100.1"));
      expect((await as("198.51.100.2")).status).toBe(401);
    } finally {
      await trusting.close();
    }
    expect(trustProxyFrom("true")).toBe(1);
    expect(trustProxyFrom("2")).toBe(2);
    expect(trustProxyFrom(undefined)).toBe(0);
    expect(trustProxyFrom("nonsense")).toBe(0);
  });

  it("throttles sign-in attempts per email and address; a success clears the count", async () => {
    nextWindow(900);
    const login = (email: string, password: string) =>
      s.call("POST", "/v1/auth/login", { body: { email, password } });
    for (let i = 0; i < 3; i++)
      expect((await login(w.bob.email, "wrong password")).status).toBe(401);
    // Even the right password waits now.
    expectLimited(await login(w.bob.email, w.bob.password));
    expectLimited(await login(w.bob.email.toUpperCase(), w.bob.password));
    // Another email from the same address is its own count (the per-address write limit aside).
    nextWindow(60);
    expect((await login(w.alice.email, w.alice.password)).status).toBe(200);
    nextWindow(900);
    expect((await login(w.bob.email, "wrong password")).status).toBe(401);
    expect((await login(w.bob.email, w.bob.password)).status).toBe(200);
    const key = await s.db
      .selectFrom("rate_limits")
      .select("key")
      .where("key", "like", `login:${w.bob.email}|%`)
      .execute();
    expect(key).toEqual([]);
  });

  it("parallel guesses cannot slip past the limit", async () => {
    nextWindow(900);
    const many = await Promise.all(
      Array.from({ length: 6 }, () =>
        s.call("POST", "/v1/auth/login", {
          body: { email: w.admin.email, password: "a wrong guess" },
        }),
      ),
    );
    const codes = many.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(3);
    expect(codes.filter((c) => c === 429)).toHaveLength(3);
  });

  it("counts requests sent together as if they came one after another", async () => {
    nextWindow(3600);
    const now = s.clock.now;
    const a = { key: `batch:a:${now.getTime()}`, seconds: 60 };
    const b = { key: `batch:b:${now.getTime()}`, seconds: 60 };
    const counts = async () =>
      (
        await hitMany(s.db, [
          { keys: [a], now },
          { keys: [b, a], now },
          { keys: [a], now },
        ])
      ).map((hits) => hits.map((h) => h.hits));
    expect(await counts()).toEqual([[1], [1, 2], [3]]);
    expect(await counts()).toEqual([[4], [2, 5], [6]]);
    const [[later]] = (await hitMany(s.db, [
      { keys: [a], now: new Date(now.getTime() + 60_000) },
    ])) as [[Hit]];
    expect(later.hits).toBe(1);
  });

  it("deletes windows that have ended", async () => {
    nextWindow(3600);
    await s.call("POST", "/v1/auth/logout");
    const stale = await s.db
      .selectFrom("rate_limits")
      .select("key")
      .where("expires_at", "<=", s.clock.now)
      .execute();
    expect(stale).toEqual([]);
    const live = await s.db.selectFrom("rate_limits").select("key").execute();
    expect(live.length).toBeGreaterThan(0);
  });
});
