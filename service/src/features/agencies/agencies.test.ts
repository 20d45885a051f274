import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import { populate, startTestService, type TestService } from "../../test/harness.ts";

describe.each(backends)("agencies and their officials over HTTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  it("lets only administrators register agencies, with unique slugs", async () => {
    const body = {
      slug: "moi-test",
      name: { "zh-Hant": "內政部", en: "Ministry of the Interior" },
      domains: ["www.moi.gov.tw"],
    };
    expect((await s.call("POST", "/v1/agencies", { token: p.official.token, body })).status).toBe(
      403,
    );
    const made = await s.call("POST", "/v1/agencies", { token: p.admin.token, body });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ slug: "moi-test", domains: ["www.moi.gov.tw"] });
    expect(JSON.stringify(made.body)).not.toContain("secret");
    expect((await s.call("POST", "/v1/agencies", { token: p.admin.token, body })).status).toBe(409);
    const bad = await s.call("POST", "/v1/agencies", {
      token: p.admin.token,
      body: { ...body, slug: "Not A Slug" },
    });
    expect(bad.body.error.details[0].path).toBe("body.slug");
    const list = await s.call("GET", "/v1/agencies");
    expect(list.body.items.map((a: { slug: string }) => a.slug)).toContain("moi-test");
  });

  it("lets officials add officials to their own agency only, and lists them publicly", async () => {
    const mk = (agencyId: string) => ({
      email: `new-${agencyId.slice(0, 8)}@gov.example`,
      password: "a long password!",
      displayName: "新同仁",
      role: "official",
      agencyId,
    });
    expect(
      (await s.call("POST", "/v1/users", { token: p.official.token, body: mk(p.other.id) })).status,
    ).toBe(403);
    expect(
      (await s.call("POST", "/v1/users", { token: p.alice.token, body: mk(p.agency.id) })).status,
    ).toBe(403);
    const made = await s.call("POST", "/v1/users", {
      token: p.official.token,
      body: mk(p.agency.id),
    });
    expect(made.status).toBe(201);
    const officials = await s.call("GET", `/v1/agencies/${p.agency.id}/officials`);
    expect(officials.body.items.map((o: { displayName: string }) => o.displayName)).toContain(
      "新同仁",
    );
    expect(JSON.stringify(officials.body)).not.toContain("@");
    const citizenWithAgency = await s.call("POST", "/v1/users", {
      token: p.admin.token,
      body: { ...mk(p.agency.id), role: "citizen", email: "c@x.test" },
    });
    expect(citizenWithAgency.status).toBe(400);
  });
});
