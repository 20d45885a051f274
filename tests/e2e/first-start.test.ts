import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

/**
 * What a newcomer gets from `pnpm start` on a fresh machine: the embedded
 * database, the demo consultation page, the API and its docs, and data that
 * survives a restart.
 */
/** The widget panel's frame on a consultation page. */
function panel(page: Page) {
  return page.frameLocator("margin-widget iframe");
}

async function sidebarScript(page: Page): Promise<string> {
  await page.locator("margin-widget[data-ready]").waitFor({ state: "attached", timeout: 60_000 });
  await page.locator("margin-widget .launcher").click();
  const frame = await (await page.locator("margin-widget iframe").elementHandle())?.contentFrame();
  const src = await frame?.locator("script[src]").getAttribute("src");
  return src ?? "";
}

describe("first start with the embedded database", () => {
  const dataDir = tempDir("margin-e2e-");
  let service: ServiceProcess;
  let browser: Browser;

  beforeAll(async () => {
    service = await startService({ MARGIN_DATA_DIR: dataDir, DATABASE_URL: "" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it("seeds the demo and shows the Labor Standards Act as a consultation page", async () => {
    expect(service.output()).toMatch(/demo seeded/);
    const page = await browser.newPage();
    await page.goto(service.url);
    await page.getByRole("link", { name: "勞動基準法 修正草案" }).click();
    await expect.poll(() => page.title()).toBe("勞動基準法 修正草案");
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-Hant");
    const article1 = page.locator("#art-1");
    expect(await article1.textContent()).toContain("為規定勞動條件最低標準");
    expect(await page.locator("#draft section.article").count()).toBeGreaterThan(80);
    expect(await page.locator("#draft script").count()).toBe(0);
    // The widget's panel speaks the page's language: each language has its own sidebar script.
    expect(await sidebarScript(page)).toBe("sidebar.zh-Hant.js");
    await panel(page).getByRole("button", { name: "登入" }).waitFor();
    await page.goto(service.url);
    await page.getByRole("link", { name: /Labor Standards Act/ }).click();
    expect(await page.locator("#draft").textContent()).toContain(
      "strengthen employee-employer relationships",
    );
    expect(await sidebarScript(page)).toBe("sidebar.en.js");
    await panel(page).getByRole("button", { name: "Sign in" }).waitFor();
    await page.close();
  });

  it("documents the API at /openapi.json and renders it at /docs", async () => {
    const doc = await (await fetch(`${service.url}/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/v1/auth/register",
      "/v1/annotations",
      "/v1/annotations/{id}",
      "/v1/sync/push",
      "/v1/sync/pull",
      "/v1/consultations/{id}/versions",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas).toHaveProperty("Annotation");
    const page = await browser.newPage();
    await page.goto(`${service.url}/docs`);
    await page.locator(".opblock").first().waitFor();
    expect(await page.locator(".opblock").count()).toBeGreaterThan(15);
    await page.close();
  });

  it("keeps what was written across a restart, and seeds only once", async () => {
    const signIn = await fetch(`${service.url}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "citizen@demo.margin.test", password: "demo-citizen-pass" }),
    });
    expect(signIn.status).toBe(200);
    const { token } = await signIn.json();
    const list = await (await fetch(`${service.url}/v1/consultations`)).json();
    const consultation = list.items.find((c: { locale: string }) => c.locale === "zh-Hant");
    const version = await (
      await fetch(`${service.url}/v1/consultations/${consultation.id}/versions/current`)
    ).json();
    const paragraph = version.paragraphs[0];
    const id = "019a0000-0000-7000-8000-000000000001";
    const created = await fetch(`${service.url}/v1/annotations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        id,
        consultationId: consultation.id,
        target: {
          source: `${service.url}/c/${consultation.id}`,
          selector: [
            { type: "TextQuoteSelector", exact: paragraph.text.slice(0, 12) },
            { type: "ParagraphSelector", key: paragraph.key },
          ],
        },
        text: "請明定最低工資的調整頻率。",
      }),
    });
    expect(created.status).toBe(201);

    await service.stop();
    service = await startService({ MARGIN_DATA_DIR: dataDir, DATABASE_URL: "" });
    expect(service.output()).not.toMatch(/demo seeded/);
    const after = await (await fetch(`${service.url}/v1/annotations/${id}`)).json();
    expect(after.text).toBe("請明定最低工資的調整頻率。");
    const again = await (await fetch(`${service.url}/v1/consultations`)).json();
    expect(again.items).toHaveLength(list.items.length);
  });
});
