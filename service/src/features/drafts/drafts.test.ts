import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import { populate, startTestService, type TestService } from "../../test/harness.ts";

const labor = readFileSync(
  new URL("../../demo/fixtures/tw-labor-standards-act.zh.html", import.meta.url),
  "utf8",
);

describe.each(backends)("draft versions over HTTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  it("splits an uploaded HTML draft into keyed paragraphs, the same way every time", async () => {
    const up = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: { html: labor, note: "first" },
    });
    expect(up.status).toBe(201);
    expect(up.body.version).toBe(1);
    const paras = up.body.paragraphs as { key: string; text: string; textHash: string }[];
    expect(paras.length).toBeGreaterThan(200);
    expect(paras.find((x) => x.text.startsWith("為規定勞動條件最低標準"))).toBeDefined();
    expect(new Set(paras.map((x) => x.key)).size).toBe(paras.length);
    const again = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: { html: labor },
    });
    expect(again.body.version).toBe(2);
    expect(again.body.paragraphs.map((x: { key: string }) => x.key)).toEqual(
      paras.map((x) => x.key),
    );
    const current = await s.call("GET", `/v1/consultations/${p.consultationId}/versions/current`);
    expect(current.body.version).toBe(2);
    const consultation = await s.call("GET", `/v1/consultations/${p.consultationId}`);
    expect(consultation.body.currentVersion).toBe(2);
  });

  it("takes a plain list of paragraphs, keeping given keys", async () => {
    const up = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: {
        paragraphs: [
          { key: "art-1", text: "First article." },
          { text: "Second, with <b>no</b> markup." },
        ],
      },
    });
    expect(up.status).toBe(201);
    expect(up.body.paragraphs).toHaveLength(2);
    expect(up.body.paragraphs[0]).toMatchObject({
      key: expect.stringContaining("art-1"),
      text: "First article.",
    });
    expect(up.body.paragraphs[1].text).toBe("Second, with <b>no</b> markup.");
  });

  it("keeps only document markup from uploaded HTML", async () => {
    const up = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: {
        html: '<main><p id="a1" onclick="steal()">Text <a href="javascript:alert(1)">link</a><script>alert(1)</script></p><iframe src="https://evil.example"></iframe><style>p{}</style></main>',
      },
    });
    expect(up.status).toBe(201);
    expect(up.body.html).not.toMatch(/script|onclick|javascript:|iframe|style/);
    expect(up.body.html).toContain('id="a1"');
  });

  it("lets only officials of the agency upload, and refuses drafts without text", async () => {
    const citizen = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.alice.token,
      body: { html: labor },
    });
    expect(citizen.status).toBe(403);
    const foreign = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.foreignOfficial.token,
      body: { html: labor },
    });
    expect(foreign.status).toBe(403);
    const empty = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: { html: "<script>x</script>" },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toBe("body.html");
    const neither = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: { note: "x" },
    });
    expect(neither.status).toBe(400);
    const missing = await s.call("GET", `/v1/consultations/${p.consultationId}/versions/99`);
    expect(missing.status).toBe(404);
  });
});
