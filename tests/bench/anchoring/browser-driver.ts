/**
 * The part of the anchoring benchmark that runs inside Chromium (bundled by chromium.ts): the same
 * calls as in Node, on the page Chromium parsed itself, timed with the page's own clock. Returns the
 * anchored texts so that Node scores them with the same rules.
 */
import {
  anchorAll,
  anchorAllYielding,
  locateAll,
  type Selector,
} from "../../../packages/anchoring/src/index.ts";

export type BrowserMethod =
  | "anchorAll"
  | "locateAll"
  | "anchorAllYielding"
  | "dom-anchor-text-quote";

export interface BrowserResult {
  ms: number;
  got: (string | null)[];
  /** Longest task while the method ran, 0 if none over 50 ms (anchorAllYielding only). */
  maxTaskMs?: number;
}

type Quote = Extract<Selector, { type: "TextQuoteSelector" }>;
type Position = Extract<Selector, { type: "TextPositionSelector" }>;

/** The peer libraries, loaded by chromium.ts as a bundle of their own (they have no types). */
interface DtqPeer {
  textPosition: { toRange(root: Node, s: { start: number; end: number }): Range };
  textQuote: {
    toRange(
      root: Node,
      s: { exact: string; prefix?: string; suffix?: string },
      o: { hint: number },
    ): Range | null;
  };
}

/** dom-anchor-text-position, else dom-anchor-text-quote with the position as hint (as in Node). */
function dtq(root: Element, lists: Selector[][], deadline: number): (Range | null)[] {
  const { textPosition, textQuote } = (window as unknown as { dtqPeer: DtqPeer }).dtqPeer;
  const out: (Range | null)[] = [];
  for (const s of lists) {
    if (performance.now() > deadline) break;
    const q = s.find((x) => x.type === "TextQuoteSelector") as Quote;
    const p = s.find((x) => x.type === "TextPositionSelector") as Position;
    let range: Range | null = null;
    try {
      const r = textPosition.toRange(root, { start: p.start, end: p.end });
      if (r.toString() === q.exact) range = r;
    } catch {}
    range ??= textQuote.toRange(
      root,
      { exact: q.exact, prefix: q.prefix, suffix: q.suffix },
      { hint: p.start },
    );
    out.push(range);
  }
  return out;
}

async function run(
  method: BrowserMethod,
  lists: Selector[][],
  capMs: number,
): Promise<BrowserResult> {
  const root = document.body;
  let maxTaskMs: number | undefined;
  let results: (Range | string | null)[];
  const t0 = performance.now();
  if (method === "anchorAll") results = anchorAll(root, lists);
  else if (method === "locateAll") {
    const text = root.textContent ?? "";
    results = locateAll(root, lists).map((p) => (p ? text.slice(p.start, p.end) : null));
  } else if (method === "anchorAllYielding") {
    // Chromium's own account of tasks over 50 ms (a timer heartbeat as in Node would not see
    // them: scheduler.yield() continuations run ahead of timers).
    let longest = 0;
    const observer = new PerformanceObserver((entries) => {
      for (const e of entries.getEntries()) longest = Math.max(longest, e.duration);
    });
    observer.observe({ type: "longtask" });
    results = await anchorAllYielding(root, lists);
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    maxTaskMs = longest;
  } else results = dtq(root, lists, t0 + capMs);
  const ms = performance.now() - t0;
  // Reading the text back is not timed.
  const got = results.map((r) => (r === null ? null : typeof r === "string" ? r : r.toString()));
  return { ms, got, maxTaskMs };
}

/** Warm-up, as in Node, so that compiling the code is not counted (a call of its own, untimed). */
function warmUp(lists: Selector[][]): void {
  anchorAll(document.body, lists.slice(0, 50));
}

(
  window as unknown as { anchoringBench: { run: typeof run; warmUp: typeof warmUp } }
).anchoringBench = { run, warmUp };
