import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import { startTestService, type TestService } from "../../test/harness.ts";
import { resolveSessions } from "./sessions.repository.ts";

describe.each(backends)("accounts over HTTP on %s", (backend) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(backend);
  });
  afterAll(() => s.close());

  const email = `Reader.${Date.now()}@Example.test`;

  it("registers a citizen, signs in, and knows who is signed in", async () => {
    const reg = await s.call("POST", "/v1/auth/register", {
      body: { email, password: "ten chars or more", displayName: "  Reader  " },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({
      email: email.toLowerCase(),
      displayName: "Reader",
      role: "citizen",
      agencyId: null,
    });
    expect(reg.body.token).toMatch(/^mgn_/);
    const me = await s.call("GET", "/v1/auth/me", { token: reg.body.token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email.toLowerCase());
  });

  it("stores only a hash of the session token and a scrypt hash of the password", async () => {
    const login = await s.call("POST", "/v1/auth/login", {
      body: { email, password: "ten chars or more" },
    });
    const rows = await s.db.selectFrom("sessions").select("token_hash").execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(login.body.token);
    const user = await s.db
      .selectFrom("users")
      .select("password_hash")
      .where("email", "=", email.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$/);
  });

  it("refuses a second account with the same email, in any letter case", async () => {
    const again = await s.call("POST", "/v1/auth/register", {
      body: { email: email.toUpperCase(), password: "ten chars or more", displayName: "X" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
  });

  it("says which fields are wrong, with their paths", async () => {
    const bad = await s.call("POST", "/v1/auth/register", {
      body: { email: "not-an-email", password: "short", displayName: "", admin: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(["body.email", "body.password", "body.displayName", "body"]),
    );
    expect(JSON.stringify(bad.body.error.details)).toContain("admin");
  });

  it("answers a wrong password with 401 and the same words as an unknown email", async () => {
    const wrong = await s.call("POST", "/v1/auth/login", {
      body: { email, password: "not the password" },
    });
    const unknown = await s.call("POST", "/v1/auth/login", {
      body: { email: "nobody@example.test", password: "not the password" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it("ends a session on logout, and every session with everywhere=true", async () => {
    const a = (
      await s.call("POST", "/v1/auth/login", { body: { email, password: "ten chars or more" } })
    ).body.token;
    const b = (
      await s.call("POST", "/v1/auth/login", { body: { email, password: "ten chars or more" } })
    ).body.token;
    expect((await s.call("POST", "/v1/auth/logout", { token: a })).status).toBe(204);
    expect((await s.call("GET", "/v1/auth/me", { token: a })).status).toBe(401);
    expect((await s.call("GET", "/v1/auth/me", { token: b })).status).toBe(200);
    expect((await s.call("POST", "/v1/auth/logout?everywhere=true", { token: b })).status).toBe(
      204,
    );
    expect((await s.call("GET", "/v1/auth/me", { token: b })).status).toBe(401);
  });

  it("expires sessions", async () => {
    const t = (
      await s.call("POST", "/v1/auth/login", { body: { email, password: "ten chars or more" } })
    ).body.token;
    const before = s.clock.now;
    s.clock.now = new Date(before.getTime() + 31 * 86_400_000);
    const me = await s.call("GET", "/v1/auth/me", { token: t });
    s.clock.now = before;
    expect(me.status).toBe(401);
    expect(me.body.error.message).toMatch(/expired/);
  });

  it("resolves many tokens in one statement, each with its own answer", async () => {
    const mine = `batch.${Date.now()}@example.test`;
    const signUp = await s.call("POST", "/v1/auth/register", {
      body: { email: mine, password: "ten chars or more", displayName: "Batch" },
    });
    const live = signUp.body.token as string;
    const revoked = (
      await s.call("POST", "/v1/auth/login", {
        body: { email: mine, password: "ten chars or more" },
      })
    ).body.token as string;
    await s.call("POST", "/v1/auth/logout", { token: revoked });
    const now = s.clock.now;
    const later = new Date(now.getTime() + 31 * 86_400_000);
    const answers = await resolveSessions(s.db, [
      { token: live, now },
      { token: revoked, now },
      { token: "mgn_nobody", now },
      { token: live, now: later },
      { token: live, now },
    ]);
    expect(answers.map((a) => (a.ok ? a.user.email : a.reason))).toEqual([
      mine,
      "this session is not valid; sign in again",
      "this session is not valid; sign in again",
      "this session has expired; sign in again",
      mine,
    ]);
  });

  it("gives clear 4xx answers to malformed requests", async () => {
    const notJson = await s.call("POST", "/v1/auth/login", {
      body: "{email:",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_json");
    const form = await s.call("POST", "/v1/auth/login", {
      body: "email=a",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const huge = await s.call("POST", "/v1/auth/register", {
      body: { email, password: "x".repeat(300_000), displayName: "X" },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("payload_too_large");
    const badHeader = await s.call("GET", "/v1/auth/me", {
      headers: { authorization: "Basic abc" },
    });
    expect(badHeader.status).toBe(401);
    const unknownToken = await s.call("GET", "/v1/auth/me", { token: "mgn_forged" });
    expect(unknownToken.status).toBe(401);
    const anonymous = await s.call("GET", "/v1/auth/me");
    expect(anonymous.status).toBe(401);
    const nowhere = await s.call("GET", "/v1/nowhere");
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe("not_found");
  });
});
