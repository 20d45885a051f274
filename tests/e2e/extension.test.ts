import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { BrowserContext, Page, Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchWithExtension } from "../support/browser.ts";
import { freePort } from "../support/free-port.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

const EXTENSION = join(import.meta.dirname, "..", "..", "extension", ".output", "chrome-mv3");
const FIXTURE = join(
  import.meta.dirname,
  "..",
  "fixtures",
  "extension",
  "us-fr-2024-02703-safety-zone-proposed-rule.html",
);
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** A browser profile with the built extension, and small page objects over its pages. */
class Profile {
  private constructor(
    readonly context: BrowserContext,
    readonly worker: Worker,
    readonly id: string,
  ) {}

  static async launch(): Promise<Profile> {
    const context = await launchWithExtension(EXTENSION, tempDir("margin-ext-profile-"));
    const worker =
      context.serviceWorkers()[0] ??
      (await context.waitForEvent("serviceworker", { timeout: 30_000 }));
    return new Profile(context, worker, new URL(worker.url()).host);
  }

  async options(): Promise<Page> {
    const page = await this.context.newPage();
    await page.goto(`chrome-extension://${this.id}/options.html`);
    await page.getByRole("heading", { name: "Margin", exact: true }).waitFor();
    return page;
  }

  async setService(url: string) {
    const page = await this.options();
    await page.getByRole("textbox", { name: "Service address" }).fill(url);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText(`Service address: ${url}`).waitFor();
    await page.close();
  }

  async signUp(email: string, name: string) {
    const page = await this.options();
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("textbox", { name: "Email" }).fill(email);
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("textbox", { name: "Name shown with your comments" }).fill(name);
    await page.getByRole("button", { name: "Sign up" }).first().click();
    await page.getByRole("heading", { name: `Signed in as ${name}` }).waitFor();
    await page.close();
  }

  /** Turns Margin on for the page's site from the toolbar popup (opened as a page for the tab). */
  async turnOnFor(target: Page) {
    const url = target.url();
    const tabId = await this.worker.evaluate(
      async (u) => (await (globalThis as any).chrome.tabs.query({ url: u }))[0]?.id ?? null,
      url,
    );
    expect(tabId).not.toBeNull();
    const popup = await this.context.newPage();
    await popup.goto(`chrome-extension://${this.id}/popup.html?tab=${tabId}`);
    await popup.getByRole("button", { name: "Turn Margin on for this site" }).click();
    await popup.getByText("Margin is on for this site.").first().waitFor();
    await popup.close();
    await target.bringToFront();
  }

  async close() {
    await this.context.close();
  }
}

/** The injected UI of one page. */
function ui(page: Page) {
  const host = page.locator("margin-annotator");
  return {
    host,
    async ready() {
      await host.waitFor({ state: "attached", timeout: 30_000 });
      await host.locator("button.launcher").waitFor();
    },
    /** Selects `length` characters near the start of the draft's first real paragraph. */
    async selectInFirstParagraph(length: number) {
      const text = await page.evaluate(
        () =>
          [...document.querySelectorAll("main p")].find((p) => (p.textContent ?? "").length > 20)
            ?.textContent ?? "",
      );
      await this.selectPhrase(text.trim().slice(0, 12), text.trim().slice(2, 2 + length));
    },
    async selectPhrase(paragraphText: string, phrase: string) {
      await page.evaluate(
        ({ paragraphText, phrase }) => {
          const p = [...document.querySelectorAll("p")].find((x) =>
            x.textContent?.includes(paragraphText),
          );
          if (!p) throw new Error(`no paragraph with ${paragraphText}`);
          const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const i = n.textContent?.indexOf(phrase) ?? -1;
            if (i === -1) continue;
            const range = document.createRange();
            range.setStart(n, i);
            range.setEnd(n, i + phrase.length);
            const sel = getSelection();
            sel?.removeAllRanges();
            sel?.addRange(range);
            const r = range.getBoundingClientRect();
            document.dispatchEvent(
              new MouseEvent("mouseup", { bubbles: true, clientX: r.right, clientY: r.bottom }),
            );
            return;
          }
          throw new Error(`no text node with ${phrase}`);
        },
        { paragraphText, phrase },
      );
    },
    async comment(text: string, stance: "Support" | "Oppose" | "Neutral" = "Oppose") {
      await host.getByRole("button", { name: "Comment on the selected words" }).click();
      await host.getByLabel("Your comment").fill(text);
      await host.getByRole("radio", { name: stance }).check();
      await host.getByRole("button", { name: "Send", exact: true }).click();
      await host.getByText(text).waitFor();
    },
    countButtons: () => host.locator("button.gbtn.has"),
    highlights: () =>
      page.evaluate(
        () =>
          (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
            "margin-comment",
          )?.size ?? 0,
      ),
  };
}

describe("browser extension", () => {
  let service: ServiceProcess;
  let dataDir: string;
  let port: number;
  let pages: Server;
  let pagesUrl: string;
  let consultationId: string;
  let alice: Profile;

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
    if (!existsSync(join(EXTENSION, "manifest.json")))
      throw new Error("build the extension first: pnpm --filter @margin/extension build");
    dataDir = tempDir("margin-ext-");
    port = await freePort();
    service = await startService({ MARGIN_DATA_DIR: dataDir, PORT: String(port) });
    const html = readFileSync(FIXTURE);
    pages = createServer((req, res) => {
      if (req.url?.startsWith("/rules/safety-zone")) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(html);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => pages.listen(0, "127.0.0.1", r));
    pagesUrl = `http://127.0.0.1:${(pages.address() as { port: number }).port}/rules/safety-zone`;
    const list = await api("GET", "/v1/consultations");
    consultationId = list.items.find((c: { locale: string }) => c.locale === "zh-Hant").id;
    alice = await Profile.launch();
    await alice.setService(service.url);
    await alice.signUp(`alice-${Date.now()}@example.test`, "Alice");
  });

  afterAll(async () => {
    await alice?.close();
    await service?.stop();
    if (pages) await new Promise<void>((r) => pages.close(() => r()));
  });

  /** Alice's browser on the demo consultation's page, the extension's UI ready. */
  async function openConsultation() {
    const page = await alice.context.newPage();
    await page.goto(`${service.url}/c/${consultationId}`);
    const u = ui(page);
    await u.ready();
    return { page, u };
  }

  it("comments on a phrase of the demo consultation; highlight and count survive a reload", async () => {
    const { page, u } = await openConsultation();
    await u.selectInFirstParagraph(8);
    await u.comment("夜間工時應另行規範，並提高加給。");
    await expect.poll(() => u.countButtons().count()).toBe(1);
    expect((await u.countButtons().first().textContent())?.trim()).toBe("1");
    await expect.poll(() => u.highlights()).toBe(1);
    await expect
      .poll(
        async () => {
          const list = await api("GET", `/v1/annotations?consultation=${consultationId}`);
          return list.items.filter(
            (a: { text: string }) => a.text === "夜間工時應另行規範，並提高加給。",
          ).length;
        },
        { timeout: 30_000 },
      )
      .toBe(1);

    await page.reload();
    await u.ready();
    await expect.poll(() => u.countButtons().count()).toBe(1);
    await expect.poll(() => u.highlights()).toBe(1);
    await u.countButtons().first().click();
    await u.host.getByText("夜間工時應另行規範，並提高加給。").first().waitFor();
    await u.host.getByText("Synced").first().waitFor();
    await page.close();
  });

  it("on a page that embeds the widget, only the extension serves the reader", async () => {
    // The demo consultation's page carries the agency's widget script; the reader's own
    // extension takes the page, even when the widget's in-page script arrives after it.
    const { page } = await openConsultation();
    await page.waitForLoadState("load");
    const widgetScript = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .some((e) => /\/widget\/page\.[0-9a-f]+\.js$/.test(e.name)),
      );
    // By the load event the loader has run: it stood down if the extension was there first;
    // if not, it fetches the in-page script when the page is idle (within 1.5 s).
    const loaderWent = await page.evaluate(() =>
      document.documentElement.hasAttribute("data-margin-widget"),
    );
    if (loaderWent) await expect.poll(widgetScript, { timeout: 10_000 }).toBe(true);
    for (let i = 0; i < 15; i++) {
      expect(await page.locator("margin-widget").count()).toBe(0);
      await page.waitForTimeout(200);
    }
    expect(await ui(page).highlights()).toBe(1);
    await page.close();
  });

  it("an official's response appears under the comment", async () => {
    const list = await api("GET", `/v1/annotations?consultation=${consultationId}`);
    const mine = list.items.find(
      (a: { text: string }) => a.text === "夜間工時應另行規範，並提高加給。",
    );
    const official = await api("POST", "/v1/auth/login", {
      email: "official@demo.margin.test",
      password: "demo-official-pass",
    });
    await api(
      "POST",
      `/v1/consultations/${consultationId}/responses`,
      {
        target: { type: "annotation", id: mine.id },
        text: "本部將於修正草案中檢討夜間工時規定。",
        disposition: "partly_adopted",
        publish: true,
      },
      official.token,
    );
    const { page, u } = await openConsultation();
    await expect.poll(() => u.countButtons().count()).toBe(1);
    await u.countButtons().first().click();
    await u.host
      .getByText("本部將於修正草案中檢討夜間工時規定。")
      .first()
      .waitFor({ timeout: 30_000 });
    await u.host
      .getByText(/Official response · Partly adopted/)
      .first()
      .waitFor();

    // The popup's "my comments" shows the answer too.
    const popup = await alice.options();
    await popup
      .getByText("本部將於修正草案中檢討夜間工時規定。")
      .first()
      .waitFor({ timeout: 15_000 });
    await popup.close();
    await page.close();
  });

  it("axe-core finds no violations in the injected UI", async () => {
    const { page, u } = await openConsultation();
    await expect.poll(() => u.countButtons().count()).toBe(1);
    await u.countButtons().first().click();
    await u.host.getByRole("button", { name: "Write a comment" }).click();
    await u.host.getByLabel("Your comment").waitFor();
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as any).axe;
      const r = await axe.run({ include: [["margin-annotator"]] });
      return r.violations.map((v: any) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n: any) => JSON.stringify(n.target)),
      }));
    });
    expect(violations).toEqual([]);
    await page.close();
  });

  it("after the draft is revised, a comment on a reworded paragraph says so with the old text; one on a removed paragraph is listed apart", async () => {
    const list = await api("GET", "/v1/consultations");
    const english = list.items.find((c: { locale: string }) => c.locale === "en").id;
    const page = await alice.context.newPage();
    await page.goto(`${service.url}/c/${english}`);
    const u = ui(page);
    await u.ready();
    const onReworded = "Say basic, not minimum: these are floors, not targets.";
    const onRemoved = "This article should apply to platform work.";
    await u.selectPhrase("The Act is enacted to provide", "enacted to provide minimum");
    await u.comment(onReworded);
    await u.selectPhrase("The Act shall be applicable to", "applicable to the following business");
    await u.comment(onRemoved, "Support");
    const made = async () =>
      (await api("GET", `/v1/annotations?consultation=${english}`)).items as {
        id: string;
        text: string;
      }[];
    await expect
      .poll(async () => (await made()).map((a) => a.text).sort(), { timeout: 30_000 })
      .toEqual([onReworded, onRemoved]);
    await page.close();

    // The revision: article 1 reworded where the comment was, article 3 removed.
    const official = await api("POST", "/v1/auth/login", {
      email: "official@demo.margin.test",
      password: "demo-official-pass",
    });
    const v1 = await api("GET", `/v1/consultations/${english}/versions/current`);
    const html = (v1.html as string)
      .replace(/provide minimum\s+standards/, "provide basic standards")
      .replace(/<section class="article" id="art-Article3">.*?<\/section>/s, "");
    await api(
      "POST",
      `/v1/consultations/${english}/versions`,
      { html, note: "after the comment period" },
      official.token,
    );
    const changes = await api("GET", `/v1/consultations/${english}/versions/2/changes`);
    const fate = new Map(
      changes.annotations.map((a: { annotationId: string; status: string }) => [
        a.annotationId,
        a.status,
      ]),
    );
    const byText = new Map((await made()).map((a) => [a.text, a.id]));
    expect(fate.get(byText.get(onReworded))).toBe("changed");
    expect(fate.get(byText.get(onRemoved))).toBe("orphaned");

    const revised = await alice.context.newPage();
    await revised.goto(`${service.url}/c/${english}`);
    const r = ui(revised);
    await r.ready();
    await r.host.getByRole("button", { name: "Comments on this page: 2" }).click();
    const reworded = r.host.locator("li.item", { hasText: onReworded });
    await reworded
      .getByText("The revised draft changed this paragraph")
      .waitFor({ timeout: 30_000 });
    expect(await reworded.locator(".revised .quote.old").textContent()).toContain(
      "provide minimum",
    );
    const apart = r.host.getByRole("list", {
      name: "Comments on paragraphs the revised draft removed",
    });
    await apart.getByText(onRemoved).waitFor();
    expect(await r.host.getByText(onRemoved).count()).toBe(1);
    expect(await apart.locator("li.item").count()).toBe(1);
    await revised.close();
  });

  it("works on an unregistered page turned on from the toolbar; offline comments sync once; another profile sees them", async () => {
    const page = await alice.context.newPage();
    await page.goto(pagesUrl);
    await page.waitForTimeout(500);
    expect(await page.locator("margin-annotator").count()).toBe(0);
    await alice.turnOnFor(page);
    const u = ui(page);
    await u.ready();

    // Online first.
    await u.selectPhrase("The Coast Guard is proposing", "safety zone");
    await u.comment("Please publish the exercise dates in advance.");
    await expect.poll(() => u.highlights()).toBe(1);
    await page.reload();
    await u.ready();
    await expect.poll(() => u.highlights()).toBe(1);
    await expect.poll(() => u.countButtons().count()).toBe(1);

    // Offline: the service is gone (killed, as a dropped network would leave it).
    await service.stop("SIGKILL");
    await u.selectPhrase("The exercises will include", "military aircraft");
    await u.comment("How far from shore will the aircraft fly?", "Neutral");
    await expect.poll(() => u.highlights()).toBe(2);
    await page.reload();
    await u.ready();
    await expect.poll(() => u.highlights()).toBe(2);
    await u.host.getByRole("button", { name: /Comments on this page: 2/ }).click();
    await u.host.getByText("Waiting to sync").first().waitFor();

    // Back online: synced exactly once.
    service = await startService({ MARGIN_DATA_DIR: dataDir, PORT: String(port) });
    await page.reload();
    await u.ready();
    await expect
      .poll(
        async () => {
          const list = await api("GET", `/v1/annotations?source=${encodeURIComponent(pagesUrl)}`);
          return list.items.map((a: { text: string }) => a.text).sort();
        },
        { timeout: 90_000 },
      )
      .toEqual([
        "How far from shore will the aircraft fly?",
        "Please publish the exercise dates in advance.",
      ]);
    await u.host.getByRole("button", { name: /Comments on this page: 2/ }).click();
    await expect
      .poll(() => u.host.getByText("Waiting to sync").count(), { timeout: 30_000 })
      .toBe(0);
    await page.close();

    // Someone else, with the extension and no account, sees both.
    const bob = await Profile.launch();
    try {
      await bob.setService(service.url);
      const other = await bob.context.newPage();
      await other.goto(pagesUrl);
      await bob.turnOnFor(other);
      const v = ui(other);
      await v.ready();
      await expect.poll(() => v.highlights(), { timeout: 30_000 }).toBe(2);
      // Both comments are on the summary paragraph: one button, counting two.
      await expect.poll(() => v.countButtons().count()).toBe(1);
      expect((await v.countButtons().first().textContent())?.trim()).toBe("2");
      await v.host.getByRole("button", { name: /Comments on this page: 2/ }).click();
      await v.host.getByText("How far from shore will the aircraft fly?").first().waitFor();
      await v.host.getByText("Alice").first().first().waitFor();
    } finally {
      await bob.close();
    }
  }, 240_000);

  it("a comment is edited, answered with a reply, then withdrawn after asking, from the page", async () => {
    const { page, u } = await openConsultation();
    await u.selectInFirstParagraph(6);
    const first = `加班上限應明定 ${Date.now()}`;
    await u.comment(first);
    const find = async (text: string) =>
      (await api("GET", `/v1/annotations?consultation=${consultationId}&limit=500`)).items.find(
        (a: { text: string }) => a.text === text,
      );
    await expect.poll(() => find(first), { timeout: 30_000 }).toBeTruthy();
    const { id } = await find(first);
    const item = u.host.locator(`li.item[data-id="${id}"]`);
    await item.getByText("Synced").waitFor({ timeout: 30_000 });

    const edited = `${first}，每月不得超過四十六小時`;
    await item.getByRole("button", { name: "Edit" }).click();
    await item.getByLabel("Edit your comment").fill(edited);
    await item.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(async () => (await api("GET", `/v1/annotations/${id}`)).text, { timeout: 30_000 })
      .toBe(edited);

    // A reply under it from the same page, filed under the comment on the service.
    const added = `補充：含例假日出勤 ${Date.now()}`;
    await item.getByRole("button", { name: "Reply" }).click();
    await item.getByLabel("Your reply").fill(added);
    await item.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => find(added), { timeout: 30_000 }).toMatchObject({ parentId: id });
    await item
      .locator("ul.items li.item", { hasText: added })
      .getByText("Synced")
      .waitFor({ timeout: 30_000 });

    await item.getByRole("button", { name: "Withdraw" }).click();
    await item.getByText("Withdraw this comment?").waitFor();
    await item.getByRole("button", { name: "Withdraw" }).click();
    await item.getByText("Withdrawn", { exact: true }).waitFor();
    await expect
      .poll(async () => (await api("GET", `/v1/annotations/${id}`)).status, { timeout: 30_000 })
      .toBe("withdrawn");
    await page.close();
  });
});
