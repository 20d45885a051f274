import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterAll } from "../features/clustering/clustering.worker.ts";
import { backends } from "../test/backends.ts";
import { annotationInput, populate, type TestService } from "../test/harness.ts";
import { pageText, unsafeMarkup } from "./page-safety.ts";
import { noLimits, startServiceWith } from "./test-service.ts";
import { shortPayloads, xssCorpus } from "./xss-corpus.ts";

/** What the API stores: trimmed text (the schemas trim). NUL cannot be stored, and is refused. */
const storable = xssCorpus.filter((p) => !p.includes("\u0000"));
const withNul = xssCorpus.filter((p) => p.includes("\u0000"));
const same = (s: string) => s.replace(/\r\n?/g, "\n");

describe("the XSS corpus", () => {
  it("has at least 100 distinct payloads", () => {
    expect(new Set(xssCorpus).size).toBe(xssCorpus.length);
    expect(xssCorpus.length).toBeGreaterThanOrEqual(100);
  });
  it("is caught by the page check when inserted raw (the check works)", () => {
    const caught = xssCorpus.filter(
      (p) => unsafeMarkup(`<!doctype html><body><p>${p}</p></body>`).length > 0,
    );
    // Payloads that are plain text in HTML (javascript:..., template syntax, encoded) are not markup.
    expect(caught.length).toBeGreaterThan(100);
  });
});

describe.each(backends)("script injection (%s)", (kind) => {
  let s: TestService;
  let w: Awaited<ReturnType<typeof populate>>;
  let xssConsultation: string;
  const officialNames = shortPayloads().slice(0, 100);
  const citizenNames = shortPayloads().slice(0, 30);
  const commentIds: string[] = [];

  beforeAll(async () => {
    s = await startServiceWith(kind, { ...noLimits, signupsPerIpPerHour: 1_000_000 });
    w = await populate(s);
    // Officials named with payloads, all assigned to one consultation titled with a payload.
    const officials: string[] = [];
    for (let i = 0; i < officialNames.length; i += 10) {
      const made = await Promise.all(
        officialNames.slice(i, i + 10).map((displayName, j) =>
          s.call("POST", "/v1/users", {
            token: w.admin.token,
            body: {
              email: `xss-official-${i + j}@example.test`,
              password: "a long test password",
              displayName,
              role: "official",
              agencyId: w.agency.id,
            },
          }),
        ),
      );
      for (const m of made) {
        expect(m.status, JSON.stringify(m.body)).toBe(201);
        officials.push(m.body.id);
      }
    }
    const now = s.clock.now.getTime();
    const created = await s.call("POST", "/v1/consultations", {
      token: w.official.token,
      body: {
        agencyId: w.agency.id,
        title: '<script>alert("title")</script>',
        summary: storable.join("\n").slice(0, 5000),
        locale: "en",
        urlPatterns: ["https://gov.example/xss/*"],
        opensAt: new Date(now - 3_600_000).toISOString(),
        closesAt: new Date(now + 7 * 86_400_000).toISOString(),
        respondBy: new Date(now + 14 * 86_400_000).toISOString(),
        officialIds: [w.official.user.id, ...officials.slice(0, 99)],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    xssConsultation = created.body.id;
    // The draft: every payload as a paragraph's text.
    const draft = await s.call("POST", `/v1/consultations/${xssConsultation}/versions`, {
      token: w.official.token,
      body: { paragraphs: storable.map((text, i) => ({ key: `p${i}`, text })) },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(
      (
        await s.call("PATCH", `/v1/consultations/${xssConsultation}`, {
          token: w.official.token,
          body: { status: "published" },
        })
      ).status,
    ).toBe(200);
  });
  afterAll(() => s?.close());

  it("returns payloads verbatim as comments, replies and answers", async () => {
    for (const [i, text] of storable.entries()) {
      const res = await s.call("POST", "/v1/annotations", {
        token: i % 2 ? w.alice.token : w.bob.token,
        body: annotationInput(xssConsultation, {
          text,
          target: {
            source: "https://gov.example/xss/draft",
            selector: [{ type: "ParagraphSelector", key: `p${i}` }],
          },
        }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.text).toBe(text.trim());
      commentIds.push(res.body.id);
    }
    for (const [i, text] of storable.entries()) {
      const reply = await s.call("POST", "/v1/annotations", {
        token: w.alice.token,
        body: annotationInput(null, {
          parentId: commentIds[i] as string,
          motivation: "replying",
          text,
        }),
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.text).toBe(text.trim());
    }
    for (const [i, text] of storable.entries()) {
      const answer = await s.call("POST", `/v1/consultations/${xssConsultation}/responses`, {
        token: w.official.token,
        body: {
          target: { type: "annotation", id: commentIds[i] },
          text,
          disposition: "explained",
          publish: true,
        },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.text).toBe(text.trim());
    }
    const listed = await s.call("GET", `/v1/annotations?consultation=${xssConsultation}&limit=500`);
    const texts = new Set((listed.body.items as { text: string }[]).map((a) => a.text));
    for (const p of storable) expect(texts.has(p.trim())).toBe(true);
    const answers = await s.call("GET", `/v1/consultations/${xssConsultation}/responses`);
    expect(new Set(answers.body.items.map((r: { text: string }) => r.text))).toEqual(
      new Set(storable.map((p) => p.trim())),
    );
    const officials = await s.call("GET", `/v1/agencies/${w.agency.id}/officials`);
    const names = new Set(
      (officials.body.items as { displayName: string }[]).map((o) => o.displayName),
    );
    for (const n of officialNames) expect(names.has(n)).toBe(true);
  });

  it("returns payloads verbatim as display names and consultation titles", async () => {
    for (const [i, displayName] of citizenNames.entries()) {
      const r = await s.call("POST", "/v1/auth/register", {
        body: { email: `xss-${i}@example.test`, password: "a long test password", displayName },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.user.displayName).toBe(displayName);
      const c = await s.call("POST", "/v1/annotations", {
        token: r.body.token,
        body: annotationInput(w.consultationId),
      });
      expect(c.body.author.displayName).toBe(displayName);
    }
    const now = s.clock.now.getTime();
    for (const title of storable) {
      const created = await s.call("POST", "/v1/consultations", {
        token: w.official.token,
        body: {
          agencyId: w.agency.id,
          title: title.slice(0, 300),
          summary: title,
          locale: "en",
          urlPatterns: [],
          opensAt: new Date(now - 3_600_000).toISOString(),
          closesAt: new Date(now + 7 * 86_400_000).toISOString(),
          respondBy: new Date(now + 14 * 86_400_000).toISOString(),
          officialIds: [],
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.title).toBe(title.slice(0, 300).trim());
      expect(created.body.summary).toBe(title);
      const published = await s.call("PATCH", `/v1/consultations/${created.body.id}`, {
        token: w.official.token,
        body: { status: "published" },
      });
      expect(published.status).toBe(200);
    }
  });

  it("refuses text with NUL characters (PostgreSQL cannot store them) with 400, not 500", async () => {
    expect(withNul.length).toBeGreaterThan(0);
    for (const text of withNul) {
      const res = await s.call("POST", "/v1/annotations", {
        token: w.alice.token,
        body: annotationInput(w.consultationId, { text }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    // The answer names where the NUL is, however deep.
    const input = annotationInput(w.consultationId);
    const nested = {
      ...input,
      target: { ...input.target, selector: [{ type: "TextQuoteSelector", exact: "a\u0000b" }] },
    };
    const res = await s.call("POST", "/v1/annotations", { token: w.alice.token, body: nested });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: "body.target.selector.0.exact", message: "must not contain NUL characters" },
    ]);
    // The six characters \u0000 typed as text are not a NUL, and are kept as typed.
    const typed = await s.call("POST", "/v1/annotations", {
      token: w.alice.token,
      body: annotationInput(w.consultationId, { text: "write a NUL as \\u0000 in JSON" }),
    });
    expect(typed.status, JSON.stringify(typed.body)).toBe(201);
    expect(typed.body.text).toBe("write a NUL as \\u0000 in JSON");
  });

  it("cleans an uploaded draft made of the payloads as raw HTML", async () => {
    const html = `<main>${storable.map((p, i) => `<p id="x${i}">Article ${i}. ${p}</p>`).join("\n")}</main>`;
    const created = await s.call("POST", "/v1/consultations", {
      token: w.official.token,
      body: {
        agencyId: w.agency.id,
        title: "Raw HTML draft",
        locale: "en",
        opensAt: new Date(s.clock.now.getTime() - 3_600_000).toISOString(),
        closesAt: new Date(s.clock.now.getTime() + 86_400_000).toISOString(),
        respondBy: new Date(s.clock.now.getTime() + 2 * 86_400_000).toISOString(),
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const draft = await s.call("POST", `/v1/consultations/${id}/versions`, {
      token: w.official.token,
      body: { html },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    await s.call("PATCH", `/v1/consultations/${id}`, {
      token: w.official.token,
      body: { status: "published" },
    });
    const page = await (await fetch(`${s.url}/c/${id}`)).text();
    expect(unsafeMarkup(page)).toEqual([]);
    expect(pageText(page)).toContain("Article 0.");
  });

  it("renders every public page with the payloads as text only", async () => {
    await clusterAll(s.db);
    const pages = ["/", `/c/${xssConsultation}`, `/c/${xssConsultation}/answers`, "/scoreboard"];
    for (const lang of ["en", "zh-Hant"]) {
      for (const path of pages) {
        const res = await fetch(`${s.url}${path}?lang=${lang}`);
        expect(res.status, path).toBe(200);
        const page = await res.text();
        expect(unsafeMarkup(page), path).toEqual([]);
        // Escaped, not dropped: the words are there as text.
        const text = same(pageText(page));
        const shown = storable.filter((p) => text.includes(same(p.trim())));
        expect(shown.length, path).toBeGreaterThan(0);
      }
    }
    const home = same(pageText(await (await fetch(`${s.url}/?lang=en`)).text()));
    for (const p of storable) expect(home.includes(same(p.slice(0, 300).trim())), p).toBe(true);
    const answers = same(
      pageText(await (await fetch(`${s.url}/c/${xssConsultation}/answers?lang=en`)).text()),
    );
    for (const n of officialNames) expect(answers.includes(n), n).toBe(true);
    for (const p of storable) expect(answers.includes(same(p.trim())), p).toBe(true);
  });
});
