import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../test/backends.ts";
import { populate, type TestService } from "../test/harness.ts";
import { startServiceWith } from "./test-service.ts";

describe.each(backends)("changing a password (%s)", (kind) => {
  let s: TestService;
  let w: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startServiceWith(kind, { loginAttempts: 3 });
    w = await populate(s);
  });
  afterAll(() => s?.close());

  const change = (token: string | undefined, currentPassword: string, newPassword: string) =>
    s.call("POST", "/v1/auth/password", { token, body: { currentPassword, newPassword } });
  const login = (email: string, password: string) =>
    s.call("POST", "/v1/auth/login", { body: { email, password } });

  it("needs the current password, then ends every other session and keeps this one", async () => {
    const other = await login(w.alice.email, w.alice.password);
    expect(other.status).toBe(200);
    expect((await change(undefined, w.alice.password, "a new long password")).status).toBe(401);
    const wrong = await change(w.alice.token, "not my password", "a new long password");
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("forbidden");
    const short = await change(w.alice.token, w.alice.password, "short");
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toBe("body.newPassword");

    expect((await change(w.alice.token, w.alice.password, "a new long password")).status).toBe(204);
    expect((await s.call("GET", "/v1/auth/me", { token: w.alice.token })).status).toBe(200);
    expect((await s.call("GET", "/v1/auth/me", { token: other.body.token })).status).toBe(401);
    expect((await login(w.alice.email, w.alice.password)).status).toBe(401);
    expect((await login(w.alice.email, "a new long password")).status).toBe(200);
    const audited = await s.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", w.alice.user.id)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(["user.password_change"]);
  });

  it("throttles guesses at the current password with the sign-in budget", async () => {
    for (let i = 0; i < 3; i++)
      expect((await change(w.bob.token, `guess ${i}`, "a new long password")).status).toBe(403);
    const refused = await change(w.bob.token, w.bob.password, "a new long password");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(w.bob.email, w.bob.password)).status).toBe(429);
  });

  it("expires sessions and revokes them everywhere on request", async () => {
    const a = await login(w.admin.email, w.admin.password);
    const b = await login(w.admin.email, w.admin.password);
    expect(
      (await s.call("POST", "/v1/auth/logout?everywhere=true", { token: a.body.token })).status,
    ).toBe(204);
    expect((await s.call("GET", "/v1/auth/me", { token: b.body.token })).status).toBe(401);
    const c = await login(w.official.email, w.official.password);
    s.clock.now = new Date(s.clock.now.getTime() + 31 * 86_400_000);
    const expired = await s.call("GET", "/v1/auth/me", { token: c.body.token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain("expired");
    // Only hashes are stored.
    const rows = await s.db.selectFrom("sessions").select("token_hash").execute();
    for (const r of rows) expect(r.token_hash).not.toContain("mgn_");
    expect(rows.map((r) => r.token_hash)).not.toContain(c.body.token);
  });
});
