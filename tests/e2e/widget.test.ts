/**
 * The embeddable widget as an agency uses it: one script tag on the agency's
 * own page (another origin than the service), a citizen commenting through
 * it, a second browser seeing the comment, and a hostile page that tries to
 * use the citizen's sign-in, forge messages and restyle the widget.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { shortPayloads, xssCorpus } from "@margin/service/xss-corpus";
import type { Browser, Frame, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { launchBrowser } from "../support/browser.ts";
import { apiClient, uuidv7 } from "../support/client.ts";
import { freePort } from "../support/free-port.ts";
import { startTaskTrace, tasksAfterMark } from "../support/main-thread-tasks.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "regulations");
const body = (file: string) => {
  const html = readFileSync(join(CORPUS, file), "utf8");
  return /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
};

/**
 * Run in each page before its scripts: adds up layout shifts, and notes when the page was first
 * rendered. A visible browser lays a page out as it loads; headless waits until something asks
 * for a frame, so the script asks, and the page's own first layout is not taken for the widget's.
 */
const MEASURE_PAGE = `window.__shifts = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; }).observe({ type: "layout-shift", buffered: true });
  document.addEventListener("DOMContentLoaded", () => requestAnimationFrame(() => { window.__rendered = performance.now(); }));`;

/**
 * Clicks into a field of the sidebar, then types key by key, as a person does. Keys go to the
 * frame the browser has focused; a field focused only by script inside a frame from another
 * site (its own process) may not be in that frame, and then fill() and pressSequentially()
 * both typed into nothing (CI: 3 of 8 runs, both sign-in fields left empty). The click makes
 * the sidebar the focused frame, and typing waits until the field's document says it has the
 * focus. Keys still went astray now and then with the focus where it should be (once in 27
 * runs on one machine; on a slower one twice in a row in 1 of 3 runs, every key lost), so a
 * miss is printed with the focus as the frame saw it and the field is clicked and typed into
 * again, as a person whose keystrokes went elsewhere would. After three misses the value is
 * set in the page itself, with a warning: what these tests check is the widget, and headless
 * Chromium losing keys on the way into another process is not the widget's doing.
 */
async function typeInto(field: Locator, value: string) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await field.click();
    await field.evaluate(
      (el) =>
        new Promise<void>((resolve) => {
          const focused = () =>
            el.ownerDocument.hasFocus() && el.ownerDocument.activeElement === el;
          const started = Date.now();
          const check = () =>
            focused() || Date.now() - started > 2000 ? resolve() : setTimeout(check, 10);
          check();
        }),
    );
    await field.pressSequentially(value);
    const typed = await field.inputValue();
    if (typed === value) return;
    const focus = await field.evaluate((el) => ({
      frameHasFocus: el.ownerDocument.hasFocus(),
      active: `${el.ownerDocument.activeElement?.tagName}#${el.ownerDocument.activeElement?.id}`,
    }));
    console.warn(
      `typeInto: keys went astray (attempt ${attempt}): typed ${JSON.stringify(value)}, field holds ${JSON.stringify(typed)}; focus: ${JSON.stringify(focus)}`,
    );
    await field.evaluate((el) => {
      (el as HTMLInputElement).value = "";
    });
  }
  console.warn(`typeInto: the browser lost the keys three times; setting ${JSON.stringify(value)}`);
  await field.evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = v;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
  expect(await field.inputValue()).toBe(value);
}

/** Signs a new reader up from the sidebar's account form. */
async function signUp(frame: Frame, email: string, name: string) {
  await frame.getByRole("button", { name: "Sign up" }).click();
  await typeInto(frame.getByLabel("Email"), email);
  await typeInto(frame.getByLabel("Password"), "a long password");
  await typeInto(frame.getByLabel("Name shown with your comments"), name);
  await frame.getByRole("button", { name: "Sign up" }).first().click();
  await frame.getByText(`Signed in as ${name}`).waitFor();
}

describe("embeddable widget on an agency's page", () => {
  let service: ServiceProcess;
  let agency: Server;
  /** The agency's site: the service runs on another origin of the same site (as on a subdomain). */
  let agencyOrigin = "";
  /** The same pages seen from another site, where browsers deny the frame its storage. */
  let otherSite = "";
  let browser: Browser;
  let consultationId = "";
  const api = apiClient(() => service.url);
  /** Extra markup per agency path: the hostile page's script and styles. */
  const pages = new Map<string, string>();

  const agencyPage = (draft: string, extra = "") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ministry of Labor — draft for comment</title>
<style>body { margin: 0 auto; max-width: 760px; font: 16px/1.6 Georgia, serif; padding: 0 80px; }</style>
${extra}</head>
<body><header><nav><a href="/">Home</a> · <a href="/news">News</a></nav></header>
<main id="content">${draft}</main>
<footer><p>Ministry of Labor</p></footer>
<script src="${service.url}/widget/margin.js" data-consultation="${consultationId}" data-lang="en" async></script>
</body></html>`;

  beforeAll(async () => {
    service = await startService({ MARGIN_DATA_DIR: tempDir("margin-widget-") });
    const list = await api("GET", "/v1/consultations");
    consultationId = list.body.items.find((c: { locale: string }) => c.locale === "en").id;
    const port = await freePort();
    agencyOrigin = `http://127.0.0.1:${port}`;
    otherSite = `http://localhost:${port}`;
    const labor = body("tw-labor-standards-act.en.html");
    const ccp = body("tw-code-of-criminal-procedure.zh.html");
    pages.set("/drafts/labor", agencyPage(labor));
    pages.set("/drafts/ccp", agencyPage(ccp));
    agency = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0] as string;
      const html = pages.get(path);
      res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
      res.end(html ?? "not found");
    });
    await new Promise<void>((r) => agency.listen(port, "127.0.0.1", r));
    const official = await api("POST", "/v1/auth/login", {
      email: "official@demo.margin.test",
      password: "demo-official-pass",
    });
    const patched = await api(
      "PATCH",
      `/v1/consultations/${consultationId}`,
      { urlPatterns: [`${agencyOrigin}/drafts/*`, `${otherSite}/drafts/*`] },
      official.body.token,
    );
    expect(patched.status).toBe(200);
    browser = await launchBrowser();
  });

  // A test that fails midway must not leave its page running into the next one's measurements.
  afterEach(async () => {
    for (const context of browser?.contexts() ?? []) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (agency ? agency.close(() => r()) : r()));
    await service?.stop();
  });

  async function open(path: string, init?: string, site = agencyOrigin): Promise<Page> {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.addInitScript(init ?? MEASURE_PAGE);
    await page.goto(`${site}${path}`);
    await page.locator("margin-widget[data-ready]").waitFor({ state: "attached", timeout: 60_000 });
    return page;
  }

  async function sidebar(page: Page): Promise<Frame> {
    const handle = await page.locator("margin-widget iframe").elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error("no sidebar frame");
    return frame;
  }

  /** Selects words of the paragraph that contains `text`, as a reader does with the mouse. */
  async function selectWords(page: Page, text: string) {
    await page.evaluate((t) => {
      const walker = document.createTreeWalker(
        document.getElementById("content") as Node,
        NodeFilter.SHOW_TEXT,
      );
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent?.indexOf(t) ?? -1;
        if (i === -1) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + t.length);
        const sel = getSelection() as Selection;
        sel.removeAllRanges();
        sel.addRange(r);
        const box = r.getBoundingClientRect();
        document.dispatchEvent(
          new MouseEvent("mouseup", { bubbles: true, clientX: box.right, clientY: box.bottom }),
        );
        return;
      }
      throw new Error(`no text ${t}`);
    }, text);
  }

  const phrase = "wage";
  let commentText = "";

  it("a citizen comments through the widget; counts, a second browser and the API show it", async () => {
    const page = await open("/drafts/labor");
    const paragraphs = Number(await page.locator("margin-widget").getAttribute("data-ready"));
    expect(paragraphs).toBeGreaterThan(50);
    // Buttons for the paragraphs in view (and half a screen around), not for all of them.
    const buttons = await page.locator("margin-widget .gbtn").count();
    expect(buttons).toBeGreaterThan(3);
    expect(buttons).toBeLessThan(paragraphs);
    // The page keeps its layout: nothing moved when the widget came.
    expect(await page.evaluate(() => (window as any).__shifts)).toBe(0);

    await selectWords(page, phrase);
    await page.locator("margin-widget .selbtn").click();
    const frame = await sidebar(page);
    await frame.getByRole("heading", { name: "Sign in" }).waitFor();
    await signUp(frame, "reader@example.test", "Reader Lin");
    commentText = `Wages should be paid weekly ${Date.now()}`;
    await typeInto(frame.getByLabel("Your comment"), commentText);
    await frame.getByRole("button", { name: "Send" }).click();
    await frame.getByText(commentText).waitFor();
    await frame.locator(".badge.state-synced").first().waitFor({ timeout: 30_000 });

    // The page's counts follow: one comment, highlighted on its words.
    await page.locator('margin-widget[data-count="1"]').waitFor({ state: "attached" });
    await expect.poll(() => page.locator("margin-widget .gbtn.has").count()).toBe(1);

    const stored = await api("GET", `/v1/annotations?consultation=${consultationId}&limit=100`);
    const mine = stored.body.items.filter((a: { text: string }) => a.text === commentText);
    expect(mine).toHaveLength(1);
    expect(mine[0].target.source).toBe(`${agencyOrigin}/drafts/labor`);
    const quote = mine[0].target.selector.find(
      (s: { type: string }) => s.type === "TextQuoteSelector",
    );
    expect(quote.exact).toBe(phrase);

    // A second browser, never signed in, sees it in the count and in the panel.
    const other = await open("/drafts/labor");
    await other
      .locator('margin-widget[data-count="1"]')
      .waitFor({ state: "attached", timeout: 30_000 });
    await other.locator("margin-widget .launcher").click();
    const otherFrame = await sidebar(other);
    await otherFrame.getByText(commentText).waitFor();
    await otherFrame.getByText("Reader Lin").waitFor();
    await other.context().close();
    await page.context().close();
  });

  it("another reader replies to that comment: the reply is under it, on the service and in a second browser", async () => {
    const page = await open("/drafts/labor");
    await page.locator("margin-widget .launcher").click();
    const frame = await sidebar(page);
    await frame.getByRole("button", { name: "Sign in" }).click();
    await signUp(frame, `replier-${Date.now()}@example.test`, "Reader Wu");
    const list = await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`);
    const parent = list.body.items.find((a: { text: string }) => a.text === commentText);
    const thread = frame.locator(`li.item[data-id="${parent.id}"]`);

    const replyText = `Weekly pay would help day labourers ${Date.now()}`;
    await thread.getByRole("button", { name: "Reply" }).click();
    // Nothing to send yet: the form says so and keeps its place.
    await thread.getByRole("button", { name: "Send" }).click();
    await thread.getByRole("alert").getByText("Write something first.").waitFor();
    await typeInto(thread.getByLabel("Your reply"), replyText);
    await thread.getByRole("button", { name: "Send" }).click();
    const reply = thread.locator("ul.items li.item", { hasText: replyText });
    await reply.locator(".badge.state-synced").waitFor({ timeout: 30_000 });
    expect(await thread.getByLabel("Your reply").count()).toBe(0);

    const stored = await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`);
    const replies = stored.body.items.filter((a: { text: string }) => a.text === replyText);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      parentId: parent.id,
      motivation: "replying",
      target: { source: parent.target.source },
    });
    // A reply is not a comment on the text: the page still counts the one comment.
    expect(await page.locator("margin-widget").getAttribute("data-count")).toBe("1");

    const other = await open("/drafts/labor");
    await other.locator("margin-widget .launcher").click();
    const otherThread = (await sidebar(other)).locator(`li.item[data-id="${parent.id}"]`);
    await otherThread
      .locator("ul.items li.item", { hasText: replyText })
      .getByText("Reader Wu")
      .waitFor();
    await other.context().close();
    await page.context().close();
  });

  it("finds the draft on a page a script builds after load, with no landmark and no data-content", async () => {
    const labor = await open("/drafts/labor");
    const expected = Number(await labor.locator("margin-widget").getAttribute("data-ready"));
    await labor.context().close();
    const draft = JSON.stringify(body("tw-labor-standards-act.en.html"));
    pages.set(
      "/drafts/labor-app",
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ministry of Labor</title></head>
<body><div id="root"><p>Loading…</p></div>
<script>
  setTimeout(() => {
    document.getElementById("root").innerHTML =
      '<div class="top"><a href="/">Home</a> <a href="/news">News</a> <a href="/laws">Laws</a></div>' +
      '<div class="cols"><div class="col-main">' + ${draft} + '</div>' +
      '<div class="col-side"><p>Related: Occupational Safety and Health Act</p><p>Contact the Ministry</p></div></div>' +
      '<div class="bottom"><p>Ministry of Labor, Taipei</p></div>';
  }, 800);
</script>
<script src="${service.url}/widget/margin.js" data-consultation="${consultationId}" data-lang="en" async></script>
</body></html>`,
    );
    const page = await open("/drafts/labor-app");
    // The same paragraphs as on the page with a <main>: the draft's column, not the menus around it.
    expect(Number(await page.locator("margin-widget").getAttribute("data-ready"))).toBe(expected);
    await expect.poll(() => page.locator("margin-widget .gbtn").count()).toBeGreaterThan(3);
    await page.context().close();
  });

  it("is accessible: axe finds no violations on the page with the widget, nor in its panel", async () => {
    const context = await browser.newContext({ locale: "en-US", bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${agencyOrigin}/drafts/labor`);
    await page
      .locator('margin-widget[data-count="1"]')
      .waitFor({ state: "attached", timeout: 60_000 });
    await page.locator("margin-widget .launcher").click();
    const frame = await sidebar(page);
    await frame.getByText(commentText).waitFor();
    expect(await axeViolations(page, "margin-widget")).toEqual([]);
    await frame.addScriptTag({
      path: createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
    });
    const inFrame = await frame.evaluate(async () => {
      const r = await (window as any).axe.run(document);
      return r.violations.map((v: { id: string }) => v.id);
    });
    expect(inFrame).toEqual([]);
    await context.close();
  });

  it("a hostile page can neither use the sign-in, nor forge a comment, nor restyle the widget", async () => {
    pages.set(
      "/drafts/hostile",
      agencyPage(
        body("tw-labor-standards-act.en.html"),
        `<style>button { background: rgb(255, 0, 0) !important; font-size: 40px !important; }
         * { color: rgb(0, 255, 0) !important; } margin-widget { opacity: 1; }</style>`,
      ),
    );
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    // The same reader, signed in on this agency's site.
    await page.goto(`${agencyOrigin}/drafts/hostile`);
    await page.locator("margin-widget[data-ready]").waitFor({ state: "attached", timeout: 60_000 });
    await page.locator("margin-widget .launcher").click();
    const frame = await sidebar(page);
    await frame.getByRole("button", { name: "Sign in" }).click();
    await typeInto(frame.getByLabel("Email"), "reader@example.test");
    await typeInto(frame.getByLabel("Password"), "a long password");
    await frame.getByRole("button", { name: "Sign in" }).first().click();
    await frame.getByText("Signed in as Reader Lin").waitFor();
    const before = (await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`))
      .body.items.length;

    const attempts = await page.evaluate(async (serviceOrigin) => {
      const iframe = document
        .querySelector("margin-widget")
        ?.shadowRoot?.querySelector("iframe") as HTMLIFrameElement;
      const w = iframe.contentWindow as Window;
      const out: string[] = [];
      for (const steal of [
        () => w.localStorage.getItem("margin.session"),
        () => w.document.cookie,
        () => (w as any).indexedDB.databases(),
      ]) {
        try {
          steal();
          out.push("read");
        } catch {
          out.push("refused");
        }
      }
      const target = {
        selectors: [{ type: "TextQuoteSelector", exact: "wage" }],
        quote: "wage",
        paragraphKey: null,
        label: null,
        source: location.href,
      };
      // Forged messages: a create the protocol does not have, a compose, and junk.
      w.postMessage(
        { type: "annotation.create", text: "forged", selectors: target.selectors },
        serviceOrigin,
      );
      w.postMessage({ type: "margin:compose", target }, serviceOrigin);
      w.postMessage({ type: "margin:send", text: "forged" }, serviceOrigin);
      w.postMessage("<img src=x onerror=alert(1)>", serviceOrigin);
      // A fetch with the service's API from the page carries no credential of the reader's.
      const res = await fetch(`${serviceOrigin}/v1/auth/me`);
      out.push(String(res.status));
      return out;
    }, new URL(service.url).origin);
    expect(attempts).toEqual(["refused", "refused", "refused", "401"]);
    // The forged compose opened a composer with the page's words, but nothing was sent.
    await frame.getByLabel("Your comment").waitFor();
    await page.waitForTimeout(1500);
    const after = (await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`))
      .body.items.length;
    expect(after).toBe(before);

    // The page's !important rules do not reach the widget's buttons.
    const look = await page.evaluate(() => {
      const b = document
        .querySelector("margin-widget")
        ?.shadowRoot?.querySelector(".gbtn") as HTMLElement;
      const s = getComputedStyle(b);
      return { background: s.backgroundColor, size: s.fontSize, color: s.color };
    });
    expect(look.background).not.toBe("rgb(255, 0, 0)");
    expect(look.size).toBe("12px");
    expect(look.color).not.toBe("rgb(0, 255, 0)");
    await context.close();
  });

  it("where the browser denies the frame its storage, the reader can still comment, and is told", async () => {
    const page = await open("/drafts/labor", undefined, otherSite);
    await page.locator("margin-widget .launcher").click();
    const frame = await sidebar(page);
    await frame.getByRole("note").getByText("does not let Margin keep your work").waitFor();
    const logins: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/v1/auth/login")) logins.push("sent");
    });
    page.on("requestfinished", (r) => {
      if (r.url().endsWith("/v1/auth/login")) logins.push("answered");
    });
    page.on("requestfailed", (r) => {
      if (r.url().endsWith("/v1/auth/login")) logins.push(`failed: ${r.failure()?.errorText}`);
    });
    await frame.getByRole("button", { name: "Sign in" }).click();
    await typeInto(frame.getByLabel("Email"), "reader@example.test");
    await typeInto(frame.getByLabel("Password"), "a long password");
    const submit = frame.locator("form.account").getByRole("button", { name: "Sign in" });
    const outcome = frame.getByText("Signed in as Reader Lin").or(frame.getByRole("alert")).first();
    /** What the panel and the network showed, for a failure to say. */
    const seen = async () =>
      JSON.stringify({
        email: await frame
          .getByLabel("Email")
          .inputValue()
          .catch(() => "(gone)"),
        password: (
          await frame
            .getByLabel("Password")
            .inputValue()
            .catch(() => "")
        ).length,
        submitDisabled: await submit.isDisabled().catch(() => "(gone)"),
        logins,
        panel: await frame.locator("body").textContent(),
      });
    // Both fields again just before sending: once a wrong password was refused here although
    // each field had held its value right after it was typed.
    for (const [label, value] of [
      ["Email", "reader@example.test"],
      ["Password", "a long password"],
    ] as const)
      if ((await frame.getByLabel(label).inputValue()) !== value) {
        await frame.getByLabel(label).fill("");
        await typeInto(frame.getByLabel(label), value);
      }
    const before = await seen();
    await submit.click();
    // Signed in, or an error the reader would see (then the failure says which, and what was seen).
    await outcome.waitFor().catch(async (e: Error) => {
      throw new Error(`${e.message}\nseen: ${await seen()}`);
    });
    // What was seen is read only on a failure: after signing in the form is gone, and reading
    // its fields would wait out three action timeouts (90 s in every passing run).
    const alerts = await frame.getByRole("alert").allTextContents();
    if (alerts.length > 0)
      expect(alerts, `before sending: ${before}\nafter: ${await seen()}`).toEqual([]);
    await selectWords(page, "employer");
    await page.locator("margin-widget .selbtn").click();
    const text = `From another site ${Date.now()}`;
    await typeInto(frame.getByLabel("Your comment"), text);
    await frame.getByRole("button", { name: "Send" }).click();
    await frame
      .locator(".item", { hasText: text })
      .locator(".badge.state-synced")
      .waitFor({ timeout: 30_000 });
    const stored = await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`);
    expect(stored.body.items.filter((a: { text: string }) => a.text === text)).toHaveLength(1);
    await page.context().close();
  });

  it("comments and names made of script payloads show as text: nothing runs, nothing is injected", async () => {
    const storable = xssCorpus.filter((p) => !p.includes("\u0000"));
    const reg = await api("POST", "/v1/auth/register", {
      email: "xss@example.test",
      password: "a long password",
      displayName: (shortPayloads(60)[3] as string).trim(),
    });
    expect(reg.status).toBe(201);
    const mutations = storable.map((text) => ({
      type: "annotation.create",
      key: uuidv7(),
      annotation: {
        id: uuidv7(),
        consultationId,
        target: {
          source: `${agencyOrigin}/drafts/labor`,
          selector: [{ type: "TextQuoteSelector", exact: "employer" }],
        },
        text,
      },
    }));
    const pushed = await api("POST", "/v1/sync/push", { mutations }, reg.body.token);
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.every((r: { status: string }) => r.status === "applied")).toBe(true);

    const page = await open("/drafts/labor");
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.locator("margin-widget .launcher").click();
    const frame = await sidebar(page);
    // The payloads quote too few words to be placed, so they are listed apart, and a list lays
    // out its latest 50 comments: earlier ones come 50 at a time, on request.
    const apart = frame.getByRole("list", {
      name: "Comments whose words are no longer on this page",
    });
    await expect
      .poll(() => apart.locator(":scope > li.item").count(), { timeout: 30_000 })
      .toBe(50);
    const earlier = frame.getByRole("button", { name: /^Show earlier comments \([\d,]+\)$/ });
    const left = Number(
      /[\d,]+/.exec((await earlier.textContent()) ?? "")?.[0].replaceAll(",", ""),
    );
    expect(left).toBeGreaterThanOrEqual(storable.length - 50);
    await earlier.click();
    expect(await apart.locator(":scope > li.item").count()).toBe(50 + Math.min(50, left));
    while ((await earlier.count()) > 0) await earlier.click();
    expect(await apart.locator(":scope > li.item").count()).toBe(50 + left);
    // The button gone, a keyboard user is left on the list, not on nothing.
    await expect.poll(() => apart.evaluate((l) => l === document.activeElement)).toBe(true);
    expect(await frame.locator("li.item").count()).toBeGreaterThan(storable.length);
    await page.waitForTimeout(1000);
    expect(dialogs).toEqual([]);
    // Only the elements the panel itself makes: no script, frame, image, object, link or style from a payload.
    const injected = await frame.evaluate(
      () =>
        document.querySelectorAll(
          "#app script, #app iframe, #app img, #app svg, #app object, #app embed, #app a, #app style, #app [onerror], #app [onload]",
        ).length,
    );
    expect(injected).toBe(0);
    const shown = await frame.locator("li.item p.text").allTextContents();
    for (const p of storable.slice(0, 20))
      expect(shown).toContain(p.trim().replace(/\r\n?/g, "\n"));
    expect(
      await page.evaluate(
        () => document.querySelectorAll("body > img, body > script:not([src])").length,
      ),
    ).toBe(0);
    await page.context().close();
  });

  it("the sidebar may be framed only by the consultation's registered sites", async () => {
    const res = await fetch(`${service.url}/widget/sidebar.html?consultation=${consultationId}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`frame-ancestors 'self' ${agencyOrigin} ${otherSite}`);
    expect(csp).toContain("script-src 'self'");
    const missing = await fetch(`${service.url}/widget/sidebar.html?consultation=nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("data-consultation");
  });

  it("after the draft is revised, a comment on a changed paragraph says so and shows the old text", async () => {
    const official = await api("POST", "/v1/auth/login", {
      email: "official@demo.margin.test",
      password: "demo-official-pass",
    });
    const current = (await api("GET", `/v1/consultations/${consultationId}`)).body.currentVersion;
    const version = (await api("GET", `/v1/consultations/${consultationId}/versions/${current}`))
      .body;
    const html: string = version.html;
    // A phrase found once in the draft, in a paragraph with a key: the words the comment is on.
    let pick: { key: string; phrase: string } | null = null;
    for (const p of version.paragraphs as { key: string; text: string }[]) {
      const words = p.text.split(/\s+/).slice(2, 7);
      const phrase = words.join(" ");
      if (words.length === 5 && html.split(phrase).length === 2 && /^[\w ,]+$/.test(phrase)) {
        pick = { key: p.key, phrase };
        break;
      }
    }
    if (!pick) throw new Error("no unique phrase in the draft");
    const reader = await api("POST", "/v1/auth/login", {
      email: "reader@example.test",
      password: "a long password",
    });
    const text = `About these words ${Date.now()}`;
    const made = await api(
      "POST",
      "/v1/annotations",
      {
        id: uuidv7(),
        consultationId,
        target: {
          source: `${agencyOrigin}/drafts/labor`,
          selector: [
            { type: "TextQuoteSelector", exact: pick.phrase },
            { type: "ParagraphSelector", key: pick.key },
          ],
        },
        text,
      },
      reader.body.token,
    );
    expect(made.status).toBe(201);
    const revised = await api(
      "POST",
      `/v1/consultations/${consultationId}/versions`,
      { html: html.replace(pick.phrase, "wording the ministry rewrote entirely"), note: "revised" },
      official.body.token,
    );
    expect(revised.status).toBe(201);
    const changes = await api(
      "GET",
      `/v1/consultations/${consultationId}/versions/${current + 1}/changes`,
    );
    const fate = changes.body.annotations.find(
      (a: { annotationId: string }) => a.annotationId === made.body.id,
    );
    expect(fate.status).toBe("changed");

    const page = await open("/drafts/labor");
    await page.locator("margin-widget .launcher").click();
    const frame = await sidebar(page);
    const item = frame.locator("li.item", { hasText: text });
    await item.getByText("The revised draft changed this paragraph").waitFor({ timeout: 30_000 });
    expect(await item.locator(".revised .quote.old").textContent()).toContain(pick.phrase);
    await page.context().close();
  });

  it("on the Code of Criminal Procedure, the widget never blocks the page for long", async () => {
    // From another site the frame runs in its own process, so what is measured is the in-page part.
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.addInitScript(MEASURE_PAGE);
    await startTaskTrace(browser, page);
    await page.goto(`${otherSite}/drafts/ccp`);
    // Waited for without Playwright's locators: their first use in a page evaluates a 330 KB
    // script there, a 30-45 ms task that is the test's, not the widget's.
    const paragraphs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const look = () => {
            const ready = document.querySelector("margin-widget")?.getAttribute("data-ready");
            if (ready) resolve(Number(ready));
            else setTimeout(look, 50);
          };
          look();
        }),
    );
    expect(paragraphs).toBeGreaterThan(500);
    await page.waitForTimeout(1500);
    const shifts = await page.evaluate(() => {
      const script = performance
        .getEntriesByType("resource")
        .find((e) => /\/widget\/page\.[0-9a-f]+\.js$/.test(e.name)) as PerformanceResourceTiming;
      // Ours: the tasks after the in-page part arrived and after the page's own first rendering
      // (a 90-140 ms layout of the thread's time that the page makes without us).
      const w = window as unknown as { __rendered: number; __shifts: number };
      performance.mark("margin-widget-measured", {
        startTime: Math.max(script.responseEnd, w.__rendered),
      });
      return w.__shifts;
    });
    const tasks = tasksAfterMark(await browser.stopTracing(), "margin-widget-measured");
    await context.close();
    // The widget read 1,866 paragraphs and placed every comment in that time, in slices.
    expect(tasks.length).toBeGreaterThan(20);
    // The target: no task over 50 ms.
    expect(tasks.filter((t) => t.cpu > 50)).toEqual([]);
    expect(shifts).toBe(0);
  });

  it("a reader edits one comment on two devices, one offline: that one sees both versions and keeps its own; then withdraws it", async () => {
    const stamp = Date.now();
    const laptop = await open("/drafts/labor");
    await selectWords(laptop, "working hours");
    await laptop.locator("margin-widget .selbtn").click();
    const onLaptop = await sidebar(laptop);
    await signUp(onLaptop, `two-devices-${stamp}@example.test`, "Reader Chen");
    const first = `Hours need a weekly cap ${stamp}`;
    await typeInto(onLaptop.getByLabel("Your comment"), first);
    await onLaptop.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(async () => {
        const list = await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`);
        return list.body.items.find((a: { text: string }) => a.text === first)?.id ?? null;
      })
      .not.toBe(null);
    const list = await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`);
    const id = list.body.items.find((a: { text: string }) => a.text === first).id as string;
    const itemOn = (frame: Frame) => frame.locator(`li.item[data-id="${id}"]`);
    await itemOn(onLaptop).locator(".badge.state-synced").waitFor({ timeout: 30_000 });

    // The same person on a phone: another browser, signed in with the same account.
    const phone = await open("/drafts/labor");
    await phone.locator("margin-widget .launcher").click();
    const onPhone = await sidebar(phone);
    await onPhone.getByRole("button", { name: "Sign in" }).click();
    await typeInto(onPhone.getByLabel("Email"), `two-devices-${stamp}@example.test`);
    await typeInto(onPhone.getByLabel("Password"), "a long password");
    await onPhone.getByRole("button", { name: "Sign in" }).first().click();
    await onPhone.getByText("Signed in as Reader Chen").waitFor();
    await itemOn(onPhone).getByText(first).waitFor({ timeout: 30_000 });

    const edit = async (frame: Frame, text: string) => {
      await itemOn(frame).getByRole("button", { name: "Edit" }).click();
      const field = itemOn(frame).getByLabel("Edit your comment");
      await field.evaluate((el) => {
        (el as HTMLTextAreaElement).value = "";
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
      await typeInto(field, text);
      await itemOn(frame).getByRole("button", { name: "Save" }).click();
    };
    // The laptop loses the network and edits; the phone edits too, online, and syncs first.
    await laptop.context().setOffline(true);
    const fromLaptop = `Cap at 40 hours, from the laptop ${stamp}`;
    await edit(onLaptop, fromLaptop);
    await itemOn(onLaptop).locator(".badge.state-pending").waitFor();
    const fromPhone = `Cap at 44 hours, from the phone ${stamp}`;
    await edit(onPhone, fromPhone);
    // The phone's badge says synced before the edit as after: the service is asked instead.
    await expect
      .poll(async () => (await api("GET", `/v1/annotations/${id}`)).body.text, {
        timeout: 30_000,
      })
      .toBe(fromPhone);

    // Back online, the laptop's edit meets the phone's: nothing is overwritten, both are shown.
    await laptop.context().setOffline(false);
    const versions = itemOn(onLaptop).getByLabel("Two versions of your comment");
    await versions.waitFor({ timeout: 30_000 });
    await versions.getByText(fromLaptop).waitFor();
    await versions.getByText(fromPhone).waitFor();

    await itemOn(onLaptop).getByRole("button", { name: "Keep mine" }).click();
    await itemOn(onLaptop).locator(".badge.state-synced").waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await api("GET", `/v1/annotations/${id}`)).body.text)
      .toBe(fromLaptop);

    // Withdrawn after asking: listed as withdrawn, its text gone from the service's copy.
    await itemOn(onLaptop).getByRole("button", { name: "Withdraw" }).click();
    await itemOn(onLaptop).getByText("Withdraw this comment?").waitFor();
    await itemOn(onLaptop).getByRole("button", { name: "Withdraw" }).click();
    await itemOn(onLaptop).getByText("Withdrawn", { exact: true }).waitFor();
    await expect
      .poll(async () => (await api("GET", `/v1/annotations/${id}`)).body.status)
      .toBe("withdrawn");
  });

  it("two tabs of one browser share the reader's store: a comment made offline in one shows in the other at once", async () => {
    const stamp = Date.now();
    const first = await open("/drafts/labor");
    await selectWords(first, "overtime");
    await first.locator("margin-widget .selbtn").click();
    const inFirst = await sidebar(first);
    await signUp(inFirst, `two-tabs-${stamp}@example.test`, "Reader Huang");

    const second = await first.context().newPage();
    await second.goto(`${agencyOrigin}/drafts/labor`);
    await second
      .locator("margin-widget[data-ready]")
      .waitFor({ state: "attached", timeout: 60_000 });
    await second.locator("margin-widget .launcher").click();
    const inSecond = await sidebar(second);
    const before = Number(await second.locator("margin-widget").getAttribute("data-count"));

    // Offline, neither tab can sync: the second learns of the comment only from the first.
    await first.context().setOffline(true);
    const text = `Overtime pay should be doubled ${stamp}`;
    await typeInto(inFirst.getByLabel("Your comment"), text);
    await inFirst.getByRole("button", { name: "Send" }).click();
    await inFirst.getByText(text).waitFor();
    await inSecond.getByText(text).waitFor({ timeout: 10_000 });
    await second
      .locator(`margin-widget[data-count="${before + 1}"]`)
      .waitFor({ state: "attached", timeout: 10_000 });
    await first.context().setOffline(false);
  });
});
