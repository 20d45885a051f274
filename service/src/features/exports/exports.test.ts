import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noLimits, startServiceWith } from "../../security/test-service.ts";
import { backends } from "../../test/backends.ts";
import { annotationInput, populate, type TestService } from "../../test/harness.ts";
import { w3cConformance } from "./w3c-conformance.ts";

const CHINESE = "勞工每日正常工作時間不得超過八小時，每週不得超過四十小時。";
const FORMULAS = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1:A2)"];

async function getText(s: TestService, path: string) {
  const res = await fetch(s.url + path);
  return {
    status: res.status,
    headers: res.headers,
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

describe.each(backends)("exports (%s)", (kind) => {
  let s: TestService;
  let w: Awaited<ReturnType<typeof populate>>;
  const texts = [CHINESE, ...FORMULAS, 'Quotes "inside", commas, and\na newline'];
  let answered: string;

  beforeAll(async () => {
    s = await startServiceWith(kind, noLimits);
    w = await populate(s);
    for (const text of texts) {
      const r = await s.call("POST", "/v1/annotations", {
        token: w.alice.token,
        body: annotationInput(w.consultationId, { text }),
      });
      expect(r.status).toBe(201);
      answered ??= r.body.id;
    }
    const suggestion = await s.call("POST", "/v1/annotations", {
      token: w.bob.token,
      body: annotationInput(w.consultationId, {
        motivation: "editing",
        text: "Say it plainly",
        suggestion: "四十小時",
        stance: "support",
      }),
    });
    expect(suggestion.status).toBe(201);
    const reply = await s.call("POST", "/v1/annotations", {
      token: w.bob.token,
      body: annotationInput(w.consultationId, {
        parentId: answered,
        motivation: "replying",
        text: "I agree",
      }),
    });
    expect(reply.status).toBe(201);
    const draft = await s.call("POST", `/v1/consultations/${w.consultationId}/responses`, {
      token: w.official.token,
      body: {
        target: { type: "annotation", id: answered },
        text: "採納。",
        disposition: "adopted",
      },
    });
    expect(draft.status).toBe(201);
    const published = await s.call(
      "POST",
      `/v1/consultations/${w.consultationId}/responses/publish`,
      { token: w.official.token, body: { ids: [draft.body.id] } },
    );
    expect(published.status).toBe(200);
    // A draft answer is not public record and must not be exported.
    await s.call("POST", `/v1/consultations/${w.consultationId}/responses`, {
      token: w.official.token,
      body: {
        target: { type: "paragraph", key: "art-30.p1" },
        text: "not yet",
        disposition: "explained",
      },
    });
  });
  afterAll(() => s?.close());

  const path = (format: string) => `/v1/consultations/${w.consultationId}/export?format=${format}`;
  const noEmails = (text: string) => {
    for (const p of [w.alice, w.bob, w.official]) expect(text).not.toContain(p.email);
    expect(text).not.toMatch(/@example\.test/);
  };

  it("writes CSV with a BOM that round-trips Chinese and neutralises formula cells", async () => {
    const res = await getText(s, path("csv"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(res.bytes);
    noEmails(text);
    const rows: Record<string, string>[] = parse(text, { bom: true, columns: true });
    expect(rows).toHaveLength(texts.length + 2);
    const cells = rows.map((r) => r.text);
    expect(cells).toContain(CHINESE);
    expect(cells).toContain('Quotes "inside", commas, and\na newline');
    for (const f of FORMULAS) {
      expect(cells).toContain(`'${f}`);
      expect(cells).not.toContain(f);
    }
    const first = rows.find((r) => r.id === answered);
    expect(first?.response_disposition).toBe("adopted");
    expect(first?.response_text).toBe("採納。");
    expect(rows.find((r) => r.motivation === "editing")?.suggestion).toBe("四十小時");
    expect(rows.every((r) => /^p_/.test(r.author_pseudonym ?? ""))).toBe(true);
  });

  it("writes Margin's JSON with published answers only", async () => {
    const res = await getText(s, path("json"));
    expect(res.status).toBe(200);
    const text = new TextDecoder().decode(res.bytes);
    noEmails(text);
    const doc = JSON.parse(text);
    expect(doc.consultation.id).toBe(w.consultationId);
    expect(doc.annotations).toHaveLength(texts.length + 2);
    expect(doc.responses).toHaveLength(1);
    expect(doc.responses[0]).toMatchObject({ disposition: "adopted", text: "採納。" });
    const first = doc.annotations.find((a: { id: string }) => a.id === answered);
    expect(first.responseId).toBe(doc.responses[0].id);
    expect(first.author).toEqual({
      name: expect.stringMatching(/^citizen /),
      pseudonym: expect.stringMatching(/^p_/),
      role: "citizen",
    });
  });

  it("writes W3C JSON-LD whose every annotation passes the suite's MUST assertions", async () => {
    const res = await getText(s, path("jsonld"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    );
    const text = new TextDecoder().decode(res.bytes);
    noEmails(text);
    const doc = JSON.parse(text);
    expect(doc.type).toBe("AnnotationCollection");
    const items = doc.first.items as Record<string, unknown>[];
    expect(items).toHaveLength(texts.length + 3);
    expect(doc.total).toBe(items.length);
    const conformance = w3cConformance();
    expect(conformance.assertionCount).toBe(54);
    for (const item of items) expect(conformance.check(item), JSON.stringify(item)).toEqual([]);
    const answer = items.find(
      (i) => i.motivation === "replying" && String(i.id).includes("#response-"),
    );
    expect(answer?.body).toContainEqual({
      type: "TextualBody",
      value: "adopted",
      purpose: "tagging",
    });
    expect(String(answer?.target)).toContain(answered);
  });

  it("refuses an unknown format and an unknown consultation with the error shape", async () => {
    const bad = await s.call("GET", `/v1/consultations/${w.consultationId}/export?format=xlsx`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    const missing = await s.call(
      "GET",
      "/v1/consultations/00000000-0000-4000-8000-000000000000/export?format=csv",
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });
});
