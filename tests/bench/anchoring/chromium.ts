/**
 * Runs the anchoring benchmark's cases in Chromium: each page is served as it is (the driver is a
 * module script in <head>, so the body's text and offsets are those the selectors were made on),
 * the driver (browser-driver.ts) is bundled with esbuild, and each method runs on a fresh load of
 * the page.
 */
import { join } from "node:path";
import { build } from "esbuild";
import type { Selector } from "../../../packages/anchoring/src/index.ts";
import { launchBrowser } from "../../support/browser.ts";
import type { BrowserMethod, BrowserResult } from "./browser-driver.ts";

const ORIGIN = "http://bench.margin.test";

async function bundles(): Promise<{ driver: string; peer: string }> {
  const driver = await build({
    entryPoints: [join(import.meta.dirname, "browser-driver.ts")],
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "warning",
  });
  // The peers are dev dependencies of packages/anchoring, resolved from there.
  const peer = await build({
    stdin: {
      contents:
        // CommonJS modules marked __esModule: their functions are the namespace's own.
        'import * as textPosition from "dom-anchor-text-position"; import * as textQuote from "dom-anchor-text-quote"; window.dtqPeer = { textPosition, textQuote };',
      resolveDir: join(import.meta.dirname, "../../../packages/anchoring"),
    },
    bundle: true,
    format: "esm",
    write: false,
    logLevel: "warning",
  });
  return { driver: driver.outputFiles[0]?.text ?? "", peer: peer.outputFiles[0]?.text ?? "" };
}

function withDriver(html: string): string {
  const tags = '<script src="/peer.js"></script><script type="module" src="/driver.js"></script>';
  return html.includes("</head>") ? html.replace("</head>", `${tags}</head>`) : tags + html;
}

export interface ChromiumCase {
  html: string;
  methods: BrowserMethod[];
}

/** Results per case, per method, in the order given. */
export async function runInChromium(
  cases: ChromiumCase[],
  lists: Selector[][],
  capMs: number,
): Promise<BrowserResult[][]> {
  const { driver, peer } = await bundles();
  const browser = await launchBrowser();
  try {
    const out: BrowserResult[][] = [];
    for (const c of cases) {
      const rows: BrowserResult[] = [];
      for (const method of c.methods) {
        const page = await browser.newPage();
        await page.route(`${ORIGIN}/**`, (route) => {
          const url = route.request().url();
          if (url.endsWith("/driver.js"))
            return route.fulfill({ contentType: "text/javascript", body: driver });
          if (url.endsWith("/peer.js"))
            return route.fulfill({ contentType: "text/javascript", body: peer });
          return route.fulfill({
            contentType: "text/html; charset=utf-8",
            body: withDriver(c.html),
          });
        });
        await page.goto(`${ORIGIN}/`);
        await page.waitForFunction(() => "anchoringBench" in window);
        if (method !== "dom-anchor-text-quote")
          await page.evaluate(
            (l) =>
              (
                window as unknown as { anchoringBench: { warmUp: (l: Selector[][]) => void } }
              ).anchoringBench.warmUp(l),
            lists,
          );
        rows.push(
          await page.evaluate(
            ([m, l, cap]) =>
              (
                window as unknown as {
                  anchoringBench: {
                    run: (m: BrowserMethod, l: Selector[][], cap: number) => Promise<BrowserResult>;
                  };
                }
              ).anchoringBench.run(m, l, cap),
            [method, lists, capMs] as const,
          ),
        );
        await page.close();
        process.stderr.write(`  chromium ${method}: ${rows.at(-1)?.ms.toFixed(0)} ms\n`);
      }
      out.push(rows);
    }
    return out;
  } finally {
    await browser.close();
  }
}
