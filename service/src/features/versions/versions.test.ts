import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
} from "../../test/harness.ts";

describe.each(backends)("a revised draft on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  it("maps every paragraph and carries every comment, and a response can cite the change", async () => {
    const v1 = [
      {
        key: "art-30",
        text: "Working hours shall not exceed eight hours a day and forty hours a week.",
      },
      { key: "art-31", text: "Overtime pay shall be at least one and one-third of regular wages." },
      { key: "art-32", text: "Workers on night shifts are entitled to transport home." },
    ];
    const up1 = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: { paragraphs: v1 },
    });
    expect(up1.status).toBe(201);
    const key = (v: { paragraphs: { key: string; text: string }[] }, start: string) =>
      v.paragraphs.find((x) => x.text.startsWith(start))?.key as string;
    const k30 = key(up1.body, "Working hours");
    const k31 = key(up1.body, "Overtime");
    const k32 = key(up1.body, "Workers on night");
    const quote = (exact: string, paragraph: string) => ({
      source: "https://gov.example/drafts/labor",
      selector: [
        { type: "TextQuoteSelector" as const, exact },
        { type: "ParagraphSelector" as const, key: paragraph },
      ],
    });
    const onHours = annotationInput(p.consultationId, {
      text: "Forty is too many.",
      target: quote("forty hours a week", k30),
    });
    const onDay = annotationInput(p.consultationId, {
      text: "Keep eight.",
      target: quote("eight hours a day", k30),
    });
    const onNight = annotationInput(p.consultationId, {
      text: "Taxis too.",
      target: quote("transport home", k32),
    });
    for (const a of [onHours, onDay, onNight])
      expect(
        (await s.call("POST", "/v1/annotations", { token: p.alice.token, body: a })).status,
      ).toBe(201);

    const v2 = [
      {
        key: "art-30",
        text: "Working hours shall not exceed eight hours a day and thirty-six hours a week.",
      },
      { key: "art-31", text: "Overtime pay shall be at least one and one-third of regular wages." },
      { key: "art-31-1", text: "Platform workers are covered by this Act." },
    ];
    const up2 = await s.call("POST", `/v1/consultations/${p.consultationId}/versions`, {
      token: p.official.token,
      body: { paragraphs: v2, note: "after comments" },
    });
    expect(up2.body.version).toBe(2);
    const changes = await s.call("GET", `/v1/consultations/${p.consultationId}/versions/2/changes`);
    expect(changes.status).toBe(200);
    const fate = (old: string) => changes.body.paragraphs.find((x: any) => x.oldKey === old);
    expect(fate(k30)).toMatchObject({ kind: "edited", oldText: v1[0]?.text, newText: v2[0]?.text });
    expect(fate(k31)).toMatchObject({ kind: "unchanged" });
    expect(fate(k32)).toMatchObject({ kind: "removed", newKeys: [] });
    expect(changes.body.paragraphs.filter((x: any) => x.kind === "new")).toHaveLength(1);
    const status = (id: string) => changes.body.annotations.find((a: any) => a.annotationId === id);
    expect(status(onHours.id)).toMatchObject({
      status: "changed",
      oldText: v1[0]?.text,
      newText: v2[0]?.text,
    });
    expect(status(onDay.id)).toMatchObject({ status: "intact" });
    expect(status(onNight.id)).toMatchObject({
      status: "orphaned",
      paragraphKey: null,
      oldText: v1[2]?.text,
    });
    expect(changes.body.annotations).toHaveLength(3);

    const answer = await s.call("POST", `/v1/consultations/${p.consultationId}/responses`, {
      token: p.official.token,
      body: {
        target: { type: "annotation", id: onHours.id },
        text: "Adopted: see article 30 as revised.",
        disposition: "adopted",
        citesChange: { version: 2, paragraphKey: key(up2.body, "Working hours") },
        publish: true,
      },
    });
    expect(answer.body.citesChange).toEqual({
      version: 2,
      paragraphKey: key(up2.body, "Working hours"),
    });
    expect(
      (await s.call("GET", `/v1/consultations/${p.consultationId}/versions/1/changes`)).status,
    ).toBe(400);

    // The public "what changed" page: differences marked, the answer beside its change.
    const page = await fetch(`${s.url}/c/${p.consultationId}/changes`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("<del>forty</del>");
    expect(text).toContain("<ins>thirty-six</ins>");
    expect(text).toContain("Adopted: see article 30 as revised.");
    expect(text).toMatch(/removed/);
  });
});
