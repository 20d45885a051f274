import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { launchBrowser } from "../support/browser.ts";
import { uuidv7, waitFor } from "../support/client.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

const DAY = 86_400_000;

/**
 * The public accountability pages: server-rendered, readable without
 * JavaScript, in both languages, escaped, accessible, and honest about what
 * is overdue once the deadline has passed.
 */
describe("public accountability pages", () => {
  let service: ServiceProcess;
  let browser: Browser;
  let consultationId = "";
  let answerText = "";
  const hostile = `<img src=x onerror="document.title='pwned'">請<b>不要</b>刪除加班費規定`;

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
    service = await startService({ MARGIN_DATA_DIR: tempDir("margin-public-") });
    browser = await launchBrowser();

    const official = await api("POST", "/v1/auth/login", {
      email: "official@demo.margin.test",
      password: "demo-official-pass",
    });
    const now = Date.now();
    const created = await api(
      "POST",
      "/v1/consultations",
      {
        agencyId: official.user.agencyId,
        title: "最低工資調整草案",
        summary: "測試用：回應期限已過的徵集案。",
        locale: "zh-Hant",
        opensAt: new Date(now - 10 * DAY).toISOString(),
        closesAt: new Date(now + 10 * DAY).toISOString(),
        respondBy: new Date(now + 20 * DAY).toISOString(),
        officialIds: [official.user.id],
      },
      official.token,
    );
    consultationId = created.id;
    const version = await api(
      "POST",
      `/v1/consultations/${consultationId}/versions`,
      {
        html: `<section id="art-1"><h2>第 1 條</h2><p>最低工資每年檢討一次。</p><p>雇主應公告工資調整。</p></section>
<section id="art-2"><h2>第 2 條</h2><p>延長工時之工資，依第一條之標準加給。</p></section>`,
        note: "",
      },
      official.token,
    );
    await api(
      "PATCH",
      `/v1/consultations/${consultationId}`,
      { status: "published" },
      official.token,
    );
    const [p1, p2] = version.paragraphs;

    const citizens = [];
    for (let i = 0; i < 3; i++)
      citizens.push(
        await api("POST", "/v1/auth/register", {
          email: `p${i}-${randomBytes(3).toString("hex")}@example.test`,
          password: "a-long-password",
          displayName: `市民${i}`,
        }),
      );
    const comment = (token: string, key: string, quote: string, text: string, stance: string) =>
      api(
        "POST",
        "/v1/annotations",
        {
          id: uuidv7(),
          consultationId,
          target: {
            source: `${service.url}/c/${consultationId}`,
            selector: [
              { type: "TextQuoteSelector", exact: quote },
              { type: "ParagraphSelector", key },
            ],
          },
          text,
          stance,
        },
        token,
      );
    await comment(
      citizens[0].token,
      p1.key,
      p1.text.slice(0, 6),
      "應該每半年檢討一次最低工資。",
      "oppose",
    );
    await comment(citizens[1].token, p2.key, p2.text.slice(0, 6), hostile, "support");

    // Wait for the clustering loop to fold both comments into points.
    await waitFor(async () => {
      const r = await api("GET", `/v1/consultations/${consultationId}/accountability`);
      return r.pending === 0 && r.points.total === 2;
    });
    const { items: points } = await api("GET", `/v1/consultations/${consultationId}/points`);
    const first = points.find((p: { paragraphKey: string }) => p.paragraphKey === p1.key);
    const answer = await api(
      "POST",
      `/v1/consultations/${consultationId}/responses`,
      {
        target: { type: "cluster", id: first.id },
        text: "本部將研議每半年檢討。",
        disposition: "partly_adopted",
        publish: true,
      },
      official.token,
    );
    answerText = "本部將研議每半年檢討，並於下一版草案明定。";
    const revised = await fetch(`${service.url}/v1/responses/${answer.id}`, {
      method: "PATCH",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${official.token}`,
        "if-match": '"1"',
      },
      body: JSON.stringify({ text: answerText }),
    });
    expect(revised.status).toBe(200);
    // Now move the whole consultation into the past: the other point is overdue.
    await api(
      "PATCH",
      `/v1/consultations/${consultationId}`,
      {
        opensAt: new Date(now - 10 * DAY).toISOString(),
        closesAt: new Date(now - 5 * DAY).toISOString(),
        respondBy: new Date(now - DAY).toISOString(),
      },
      official.token,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it("renders the answers page without JavaScript, with answered and overdue points", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const res = await page.goto(`${service.url}/c/${consultationId}/answers`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-Hant");
    const status = page.locator(".status-box .counts");
    expect(await status.textContent()).toMatch(
      /2 個意見重點.*已回應\s*1.*未回應\s*1.*逾期未回應\s*1/s,
    );
    expect(await page.locator(".status-box").textContent()).toContain("回應期限已過");

    const answered = page.locator("li.point.answered");
    expect(await answered.count()).toBe(1);
    expect(await answered.textContent()).toContain(answerText);
    expect(await answered.textContent()).toContain("部分採納");
    expect(await answered.textContent()).toContain("王小明");
    // The edit kept its history: both wordings are public.
    const history = answered.locator("details.history");
    expect(await history.textContent()).toContain("本部將研議每半年檢討。");
    expect(await history.textContent()).toContain("共 2 版");

    const overdue = page.locator("li.point.overdue");
    expect(await overdue.count()).toBe(1);
    // Comment text is text: the markup shows as characters, nothing runs or renders.
    expect(await overdue.locator("blockquote.rep").textContent()).toBe(hostile);
    expect(await page.locator("main img").count()).toBe(0);
    expect(await page.locator("main b").count()).toBe(0);

    // Per official: who answered how many, and the shared unanswered point.
    const row = page.locator("table.officials tbody tr").first();
    expect(await row.textContent()).toMatch(/王小明.*是\s*1\s*1/s);

    // The same page in English.
    await page.goto(`${service.url}/c/${consultationId}/answers?lang=en`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator(".status-box .counts").textContent()).toMatch(
      /2 points.*answered\s*1.*unanswered\s*1.*overdue\s*1/s,
    );
    expect(await page.locator("li.point.answered").textContent()).toContain("partly adopted");
    await context.close();
  });

  it("links the draft page to the answers and shows the counts, without scripts", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${service.url}/c/${consultationId}?lang=en`);
    expect(await page.locator("article.draft#draft").count()).toBe(1);
    // The draft is on the page without scripts; the only script is the Margin widget's loader.
    expect(await page.locator("script").count()).toBe(1);
    expect(await page.locator('script[src="/widget/margin.js"]').count()).toBe(1);
    expect(await page.locator(".status-line").textContent()).toMatch(
      /2 points.*answered\s*1.*unanswered\s*1.*overdue\s*1/s,
    );
    await page.getByRole("link", { name: /See the agency's answers/ }).click();
    expect(page.url()).toContain(`/c/${consultationId}/answers?lang=en`);
    await context.close();
  });

  it("shows every agency's response rate, median days and overdue count on /scoreboard", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${service.url}/scoreboard`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    const row = page.locator("table.scoreboard tbody tr").first();
    const cells = await row.locator("th, td").allTextContents();
    expect(cells[0]).toBe("Ministry of Labor");
    // The demo's two consultations and the one made here; 2 points, 1 answered, 1 overdue.
    expect(cells.slice(1).map((s) => s.trim())).toEqual(["3", "2", "1", "50%", "0 days", "1"]);
    const api = await (await fetch(`${service.url}/v1/scoreboard`)).json();
    expect(api.agencies[0]).toMatchObject({
      points: 2,
      answered: 1,
      overdue: 1,
      responseRate: 0.5,
    });
    await context.close();
  });

  it("has no axe-core violations on the draft, answers and scoreboard pages, in both languages", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const demo = (await (await fetch(`${service.url}/v1/consultations`)).json()).items.find(
      (c: { title: string }) => c.title === "勞動基準法 修正草案",
    );
    for (const path of [
      `/c/${consultationId}`,
      `/c/${consultationId}/answers`,
      `/c/${consultationId}/answers?lang=en`,
      `/c/${demo.id}`,
      `/c/${demo.id}/answers?lang=en`,
      "/scoreboard",
      "/scoreboard?lang=en",
    ]) {
      await page.goto(`${service.url}${path}`);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    await context.close();
  });
});
