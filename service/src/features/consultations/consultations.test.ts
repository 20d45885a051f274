import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
} from "../../test/harness.ts";

describe.each(backends)("consultations over HTTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  const body = (agencyId: string) => {
    const now = Date.now();
    return {
      agencyId,
      title: "Another draft",
      opensAt: new Date(now).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
      respondBy: new Date(now + 2 * 86_400_000).toISOString(),
    };
  };

  it("lets only officials of the agency (and admins) register consultations", async () => {
    expect((await s.call("POST", "/v1/consultations", { body: body(p.agency.id) })).status).toBe(
      401,
    );
    expect(
      (await s.call("POST", "/v1/consultations", { token: p.alice.token, body: body(p.agency.id) }))
        .status,
    ).toBe(403);
    expect(
      (
        await s.call("POST", "/v1/consultations", {
          token: p.foreignOfficial.token,
          body: body(p.agency.id),
        })
      ).status,
    ).toBe(403);
    const ok = await s.call("POST", "/v1/consultations", {
      token: p.admin.token,
      body: body(p.agency.id),
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      status: "draft",
      locale: "zh-Hant",
      agency: { id: p.agency.id },
    });
    expect(ok.headers.get("location")).toBe(`/v1/consultations/${ok.body.id}`);
  });

  it("keeps drafts from the public and shows published ones", async () => {
    const draft = await s.call("POST", "/v1/consultations", {
      token: p.official.token,
      body: body(p.agency.id),
    });
    expect((await s.call("GET", `/v1/consultations/${draft.body.id}`)).status).toBe(404);
    expect(
      (
        await s.call("GET", `/v1/consultations/${draft.body.id}`, {
          token: p.foreignOfficial.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (await s.call("GET", `/v1/consultations/${draft.body.id}`, { token: p.official.token }))
        .status,
    ).toBe(200);
    const list = await s.call("GET", "/v1/consultations");
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(p.consultationId);
    expect(ids).not.toContain(draft.body.id);
    const one = await s.call("GET", `/v1/consultations/${p.consultationId}`);
    expect(one.body).toMatchObject({
      status: "open",
      officials: [{ id: p.official.user.id, role: "official" }],
    });
    expect(JSON.stringify(one.body)).not.toContain(p.official.email);
  });

  it("publishes URL patterns for local matching and looks a page up", async () => {
    const list = await s.call("GET", "/v1/url-patterns");
    expect(list.status).toBe(200);
    expect(list.body.consultations).toContainEqual(
      expect.objectContaining({
        id: p.consultationId,
        urlPatterns: ["https://gov.example/drafts/*"],
      }),
    );
    const hit = await s.call(
      "GET",
      `/v1/consultations/lookup?url=${encodeURIComponent("https://gov.example/drafts/labor?x=1")}`,
    );
    expect(hit.body.items.map((c: { id: string }) => c.id)).toContain(p.consultationId);
    const miss = await s.call(
      "GET",
      `/v1/consultations/lookup?url=${encodeURIComponent("https://gov.example/news")}`,
    );
    expect(miss.body.items).toEqual([]);
    const bad = await s.call("GET", "/v1/consultations/lookup?url=javascript:alert(1)");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("query.url");
  });

  it("checks changes: dates in order, officials from the agency, only the owning agency", async () => {
    const wrongDates = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.official.token,
      body: { closesAt: "2000-01-01T00:00:00Z" },
    });
    expect(wrongDates.status).toBe(400);
    const stranger = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.official.token,
      body: { officialIds: [p.foreignOfficial.user.id] },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe("body.officialIds");
    const foreign = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.foreignOfficial.token,
      body: { title: "Hijacked" },
    });
    expect(foreign.status).toBe(403);
    const renamed = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.official.token,
      body: { title: "Draft amendment (2nd)" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe("Draft amendment (2nd)");
    const audit = await s.db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_id", "=", p.consultationId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["consultation.create", "consultation.update"]),
    );
  });

  it("refuses to conclude while open, or while points are unanswered", async () => {
    const early = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.official.token,
      body: { status: "concluded" },
    });
    expect(early.status).toBe(409);
    await s.call("POST", "/v1/annotations", {
      token: p.alice.token,
      body: annotationInput(p.consultationId),
    });
    const before = s.clock.now;
    s.clock.now = new Date(before.getTime() + 8 * 86_400_000);
    const unanswered = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.official.token,
      body: { status: "concluded" },
    });
    s.clock.now = before;
    expect(unanswered.status).toBe(409);
    expect(unanswered.body.error.message).toMatch(/wait for an official answer/);
  });

  it("rejects malformed ids and unknown fields without changing anything", async () => {
    const badId = await s.call("GET", "/v1/consultations/not-a-uuid");
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].path).toBe("params.id");
    const before = await s.call("GET", `/v1/consultations/${p.consultationId}`);
    const unknown = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
      token: p.official.token,
      body: { title: "X", agencyId: p.other.id },
    });
    expect(unknown.status).toBe(400);
    const after = await s.call("GET", `/v1/consultations/${p.consultationId}`);
    expect(after.body).toEqual(before.body);
  });
});
