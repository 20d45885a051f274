import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { launchBrowser } from "../support/browser.ts";
import { apiClient, uuidv7 } from "../support/client.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

/**
 * "You said, we did": the demo draft is revised after comments, and the
 * public sees what changed, paragraph by paragraph, beside the answers.
 */
describe("the public 'what changed' page", () => {
  let service: ServiceProcess;
  let browser: Browser;
  const api = apiClient(() => service.url);

  beforeAll(async () => {
    service = await startService({ MARGIN_DATA_DIR: tempDir("margin-changes-") });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it("marks the differences, keeps every comment, shows the answer beside its change, and is accessible", async () => {
    const official = (
      await api("POST", "/v1/auth/login", {
        email: "official@demo.margin.test",
        password: "demo-official-pass",
      })
    ).body;
    const citizen = (
      await api("POST", "/v1/auth/login", {
        email: "citizen@demo.margin.test",
        password: "demo-citizen-pass",
      })
    ).body;
    const consultation = (await api("GET", "/v1/consultations")).body.items.find(
      (c: { locale: string }) => c.locale === "en",
    );
    const v1 = (await api("GET", `/v1/consultations/${consultation.id}/versions/current`)).body;
    const art1 = v1.paragraphs.find((p: { key: string }) => p.key === "art-1.p1");
    const art3 = v1.paragraphs.find((p: { key: string }) => p.key.startsWith("art-3."));
    expect(art1 && art3).toBeTruthy();

    const comment = async (paragraph: { key: string }, exact: string, text: string) => {
      const id = uuidv7();
      const res = await api(
        "POST",
        "/v1/annotations",
        {
          id,
          consultationId: consultation.id,
          target: {
            source: `${service.url}/c/${consultation.id}`,
            selector: [
              { type: "TextQuoteSelector", exact },
              { type: "ParagraphSelector", key: paragraph.key },
            ],
          },
          text,
        },
        citizen.token,
      );
      expect(res.status).toBe(201);
      return id;
    };
    const onArt1 = await comment(
      art1,
      "minimum",
      "Say 'basic', not 'minimum': these are floors, not targets.",
    );
    const onArt3 = await comment(
      art3,
      art3.text.slice(0, 20),
      "This article should apply to platform work.",
    );

    // The revision: article 1 reworded, article 3 removed.
    const html = (v1.html as string)
      .replace(/minimum\s+standards/, "basic standards")
      .replace(/<section class="article" id="art-Article3">.*?<\/section>/s, "");
    const v2 = await api(
      "POST",
      `/v1/consultations/${consultation.id}/versions`,
      { html, note: "after the comment period" },
      official.token,
    );
    expect(v2.status).toBe(201);
    const changes = (await api("GET", `/v1/consultations/${consultation.id}/versions/2/changes`))
      .body;
    expect(
      changes.paragraphs.find((p: { oldKey: string }) => p.oldKey === "art-1.p1"),
    ).toMatchObject({ kind: "edited" });
    expect(changes.paragraphs.find((p: { oldKey: string }) => p.oldKey === art3.key)).toMatchObject(
      { kind: "removed" },
    );
    const carried = new Map(
      changes.annotations.map((a: { annotationId: string; status: string }) => [
        a.annotationId,
        a.status,
      ]),
    );
    expect(carried.get(onArt1)).toBe("changed");
    expect(carried.get(onArt3)).toBe("orphaned");

    const answer = await api(
      "POST",
      `/v1/consultations/${consultation.id}/responses`,
      {
        target: { type: "annotation", id: onArt1 },
        text: "Adopted: see article 1 as revised.",
        disposition: "adopted",
        citesChange: { version: 2, paragraphKey: "art-1.p1" },
        publish: true,
      },
      official.token,
    );
    expect(answer.status).toBe(201);

    const page = await browser.newPage();
    await page.goto(`${service.url}/c/${consultation.id}/changes?lang=en`);
    const reworded = page.locator("li.change.edited").filter({ hasText: "art-1.p1" });
    expect(await reworded.locator("del").allTextContents()).toContain("minimum");
    expect(await reworded.locator("ins").allTextContents()).toContain("basic");
    expect(await reworded.textContent()).toContain("Adopted: see article 1 as revised.");
    expect(await page.locator("li.change.removed").count()).toBeGreaterThanOrEqual(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${service.url}/c/${consultation.id}/changes?lang=zh-Hant`);
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-Hant");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
