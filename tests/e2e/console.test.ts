import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

const root = join(import.meta.dirname, "..", "..");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

function uuidv7(): string {
  const b = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = ((b[6] as number) & 0x0f) | 0x70;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function waitFor(check: () => Promise<boolean>, ms = 30_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function axeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  return (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (d: Document) => Promise<unknown> } }).axe;
    const r = (await axe.run(document)) as {
      violations: { id: string; help: string; nodes: { target: string[] }[] }[];
    };
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  })) as { id: string; help: string; nodes: string[] }[];
}

const CAMPAIGN = "請勿放寬加班上限，勞工需要休息時間。";
const SINGLE = "第二條的定義應納入平台外送員。";
const MERGE_A = "特休假應可遞延至次年使用。";
const MERGE_B = "Unused annual leave should roll over to next year.";

/**
 * The officials' console in Chromium against a real service: an official
 * signs in, answers the points citizens raised (at once, and as drafts
 * published together), merges two points, and registers a new consultation
 * with an uploaded draft. The public page and the commenter's sync pull then
 * carry the answer.
 */
describe("officials' console", () => {
  let service: ServiceProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let consultationId = "";
  let citizenToken = "";
  const cspErrors: string[] = [];

  /** A point's card, found by its representative text (its heading). */
  const pointCard = (text: string) =>
    page
      .locator("li.point")
      .filter({ has: page.getByRole("heading", { name: text, exact: true }) });

  async function api(method: string, path: string, body?: unknown, token?: string) {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  beforeAll(async () => {
    // The console is served from its build; make sure it is the current one.
    execFileSync(
      join(root, "service/node_modules/.bin/vite"),
      ["build", "--config", "console/vite.config.ts", "--logLevel", "warn"],
      { cwd: join(root, "service"), stdio: "inherit" },
    );
    service = await startService({ MARGIN_DATA_DIR: tempDir("margin-console-") });
    browser = await launchBrowser();

    const list = await api("GET", "/v1/consultations");
    consultationId = list.items.find(
      (c: { title: string }) => c.title === "勞動基準法 修正草案",
    ).id;
    const version = await api("GET", `/v1/consultations/${consultationId}/versions/current`);
    const [p1, p2, p3] = version.paragraphs;
    const citizen = await api("POST", "/v1/auth/login", {
      email: "citizen@demo.margin.test",
      password: "demo-citizen-pass",
    });
    citizenToken = citizen.token;
    const comment = (token: string, p: { key: string; text: string }, text: string) =>
      api(
        "POST",
        "/v1/annotations",
        {
          id: uuidv7(),
          consultationId,
          target: {
            source: `${service.url}/c/${consultationId}`,
            selector: [
              { type: "TextQuoteSelector", exact: p.text.slice(0, 8) },
              { type: "ParagraphSelector", key: p.key },
            ],
          },
          text,
          stance: "oppose",
        },
        token,
      );
    // A form letter: the demo citizen and five more people send the same text.
    await comment(citizenToken, p1, CAMPAIGN);
    for (let i = 0; i < 5; i++) {
      const s = await api("POST", "/v1/auth/register", {
        email: `c${i}-${randomBytes(3).toString("hex")}@example.test`,
        password: "a-long-password",
        displayName: `市民 ${i}`,
      });
      await comment(s.token, p1, CAMPAIGN);
    }
    await comment(citizenToken, p2, SINGLE);
    await comment(citizenToken, p3, MERGE_A);
    await comment(citizenToken, p3, MERGE_B);
    await waitFor(async () => {
      const r = await api("GET", `/v1/consultations/${consultationId}/accountability`);
      return r.pending === 0 && r.points.total === 4;
    });

    context = await browser.newContext({ locale: "en-US" });
    page = await context.newPage();
    page.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await service?.stop();
  });

  it("serves the built console with the right types and a strict CSP", async () => {
    const res = await fetch(`${service.url}/console/c/${consultationId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/console\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const js = await fetch(`${service.url}${script}`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    const css = await fetch(`${service.url}${style}`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${service.url}/console/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${service.url}/console/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
  });

  it("signs in with the keyboard and keeps the token in sessionStorage only", async () => {
    await page.goto(`${service.url}/console`);
    await page.getByRole("heading", { name: "Sign in to the officials' console" }).waitFor();
    await page.getByLabel("Email").focus();
    await page.keyboard.type("official@demo.margin.test");
    await page.keyboard.press("Tab");
    await page.keyboard.type("demo-official-pass");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Consultations" }).waitFor();
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem("margin.console.session"),
      local: JSON.stringify(localStorage),
    }));
    expect(stored.session).toMatch(/"token":"mgn_/);
    expect(stored.local).not.toContain("mgn_");
    // The heading comes first; the list follows when its request answers.
    await expect.poll(() => page.locator("table.list tbody tr").count()).toBe(2);
  });

  it("shows the points, answers one at once and publishes a saved draft", async () => {
    await page.getByRole("link", { name: "勞動基準法 修正草案" }).click();
    await page.getByRole("heading", { name: "Points" }).waitFor();
    const campaign = pointCard(CAMPAIGN);
    await campaign.waitFor();
    expect(await page.locator("li.point").count()).toBe(4);
    expect(await campaign.locator(".badge.campaign").textContent()).toBe("campaign");
    expect(await campaign.textContent()).toContain("6 people");
    expect(await campaign.getByRole("img", { name: /oppose 6/ }).count()).toBe(1);
    expect(await campaign.locator(".badge.state").textContent()).toBe("unanswered");

    await campaign.getByLabel("Disposition").selectOption("partly_adopted");
    await campaign.getByLabel("Answer text").fill("加班上限維持不變，並加強勞動檢查。");
    await campaign.getByRole("button", { name: "Publish answer" }).click();
    await page.getByRole("status").filter({ hasText: "Answer published." }).waitFor();
    await expect.poll(() => campaign.locator(".badge.state").textContent()).toBe("answered");
    expect(await campaign.textContent()).toContain("加班上限維持不變，並加強勞動檢查。");
    if (process.env.MARGIN_SCREENSHOTS)
      await page.screenshot({
        path: join(process.env.MARGIN_SCREENSHOTS, "points.png"),
        fullPage: true,
      });

    const single = pointCard(SINGLE);
    await single.getByLabel("Answer text").fill("外送員另以專法規範。");
    await single.getByLabel("Disposition").selectOption("explained");
    await single.getByRole("button", { name: "Save as draft" }).click();
    await page.getByRole("status").filter({ hasText: "Draft saved." }).waitFor();
    await single.getByText("draft, not public yet").waitFor();
    expect(await single.locator(".badge.state").textContent()).toBe("unanswered");
    await single.getByLabel("Select this draft for publishing").check();
    await page.getByRole("button", { name: "Publish 1 selected draft" }).click();
    await page.getByRole("status").filter({ hasText: "1 answer published." }).waitFor();
    await expect.poll(() => single.locator(".badge.state").textContent()).toBe("answered");
  });

  it("merges two points into one", async () => {
    const a = pointCard(MERGE_A);
    await a.getByLabel("Merge this point into").selectOption({ label: `${MERGE_B} (1)` });
    await a.getByRole("button", { name: "Merge" }).click();
    await page.getByRole("status").filter({ hasText: "Merged." }).waitFor();
    await expect.poll(() => page.locator("li.point").count()).toBe(3);
    const { items } = await api("GET", `/v1/consultations/${consultationId}/points`);
    expect(items.find((p: { size: number }) => p.size === 2)).toBeTruthy();
  });

  it("publishes the answer to the public page and to the commenter's sync", async () => {
    const publicPage = await context.newPage();
    await publicPage.goto(`${service.url}/c/${consultationId}/answers`);
    const answered = publicPage.locator("li.point.answered", { hasText: CAMPAIGN });
    expect(await answered.textContent()).toContain("加班上限維持不變，並加強勞動檢查。");
    expect(await answered.textContent()).toContain("部分採納");
    expect(await answered.locator(".badge.campaign").count()).toBe(1);
    await publicPage.close();

    const pull = await api(
      "GET",
      `/v1/sync/pull?consultation=${consultationId}&since=0&limit=500`,
      undefined,
      citizenToken,
    );
    const texts = pull.responses.map((r: { text: string }) => r.text);
    expect(texts).toContain("加班上限維持不變，並加強勞動檢查。");
    expect(texts).toContain("外送員另以專法規範。");
  });

  it("shows the heat map and the deadline charts", async () => {
    await page.getByRole("link", { name: "Draft heat map" }).click();
    await page.locator("ol.heatmap li").first().waitFor();
    expect(await page.locator("ol.heatmap li.heat-5").count()).toBeGreaterThan(0);
    expect(await page.locator("ol.heatmap li.heat-0").count()).toBeGreaterThan(50);
    await page.getByRole("link", { name: "Deadline" }).click();
    await page.getByRole("heading", { name: "Still to answer" }).waitFor();
    expect(await page.locator("figure.chart").count()).toBe(3);
    expect(
      await page.getByRole("img", { name: /total: 3 \(answered 2, unanswered 1\)/i }).count(),
    ).toBe(1);
    expect(await page.locator("ul.due li").count()).toBe(1);
    if (process.env.MARGIN_SCREENSHOTS)
      await page.screenshot({
        path: join(process.env.MARGIN_SCREENSHOTS, "deadline.png"),
        fullPage: true,
      });
  });

  it("creates a consultation with an uploaded draft, assigns a colleague and publishes it", async () => {
    // A colleague who has never been assigned anything is offered from the agency's list.
    const official = await api("POST", "/v1/auth/login", {
      email: "official@demo.margin.test",
      password: "demo-official-pass",
    });
    const colleague = await api(
      "POST",
      "/v1/users",
      {
        email: "colleague@demo.margin.test",
        password: "colleague password 1",
        displayName: "林承辦",
        role: "official",
        agencyId: official.user.agencyId,
      },
      official.token,
    );
    await page.getByRole("link", { name: "All consultations" }).click();
    await page.getByRole("link", { name: "New consultation" }).click();
    await page.getByRole("checkbox", { name: "林承辦" }).check();
    await page.getByLabel("Title").fill("職業安全衛生法 修正草案");
    await page.getByLabel("Summary").fill("就職業安全衛生法修正草案徵求意見。");
    await page.getByRole("button", { name: "Create consultation" }).click();
    await page.getByText("Created. Upload the draft, then publish.").waitFor();
    const id = /\/console\/c\/([0-9a-f-]{36})\/settings/.exec(page.url())?.[1] as string;
    expect(id).toBeTruthy();
    await page.getByLabel("Draft file (.html)").setInputFiles({
      name: "draft.html",
      mimeType: "text/html",
      buffer: Buffer.from(
        `<main><section id="art-1"><h2>第 1 條</h2><p>為防止職業災害，保障工作者安全及健康，特制定本法。</p></section>
<section id="art-2"><h2>第 2 條</h2><p>雇主應提供必要之安全衛生設備。</p><p>雇主應實施安全衛生教育訓練。</p></section></main>`,
      ),
    });
    await page.getByRole("button", { name: "Upload draft" }).click();
    await page.getByText(/Version 1 uploaded: \d+ paragraphs\./).waitFor();
    await page.getByRole("button", { name: "Publish consultation" }).click();
    await page.getByRole("status").filter({ hasText: "Published." }).waitFor();
    const stored = await api("GET", `/v1/consultations/${id}`);
    expect(stored).toMatchObject({ title: "職業安全衛生法 修正草案", currentVersion: 1 });
    expect(stored.officials.map((o: { id: string }) => o.id)).toContain(colleague.id);
    expect(stored.status).toBe("open");
    const res = await fetch(`${service.url}/c/${id}`);
    expect(await res.text()).toContain("雇主應實施安全衛生教育訓練。");
  });

  it("switches to Traditional Chinese and stays within its CSP", async () => {
    await page.getByRole("button", { name: "中文" }).click();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-Hant");
    await page.getByRole("link", { name: "所有徵集案" }).click();
    await page.getByRole("heading", { name: "意見徵集案" }).waitFor();
    await page.getByRole("button", { name: "English" }).click();
    expect(cspErrors).toEqual([]);
  });

  it("has no axe-core violations on any console view", async () => {
    const axeContext = await browser.newContext({ bypassCSP: true, locale: "zh-TW" });
    const p = await axeContext.newPage();
    await p.goto(`${service.url}/console`);
    await p.getByRole("heading", { name: "登入機關承辦人後台" }).waitFor();
    expect(await axeViolations(p)).toEqual([]);
    await p.getByLabel("電子郵件").fill("official@demo.margin.test");
    await p.getByLabel("密碼").fill("demo-official-pass");
    await p.getByRole("button", { name: "登入" }).click();
    await p.getByRole("heading", { name: "意見徵集案" }).waitFor();
    const views: [string, string][] = [
      ["", "意見徵集案"],
      ["/new", "新增徵集案"],
      [`/c/${consultationId}`, "意見重點"],
      [`/c/${consultationId}/heatmap`, "草案熱度圖"],
      [`/c/${consultationId}/deadline`, "回應期限"],
      [`/c/${consultationId}/settings`, "設定"],
    ];
    for (const [path, heading] of views) {
      await p.goto(`${service.url}/console${path}`);
      await p.getByRole("heading", { name: heading, exact: true }).first().waitFor();
      await p.waitForLoadState("networkidle");
      expect({ path, violations: await axeViolations(p) }).toEqual({ path, violations: [] });
    }
    await axeContext.close();
  });
});
