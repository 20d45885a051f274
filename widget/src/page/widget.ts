import {
  anchorAllYielding,
  closestIn,
  describe,
  type Found,
  keptPlaces,
  type Paragraph,
  paragraphRange,
  paragraphsYielding,
  toAnchor,
  withContext,
} from "@margin/anchoring";
import {
  browserLocale,
  createHighlighter,
  IN_PAGE_CSS,
  inPageWords,
  type Locale,
} from "@margin/ui";
import type { Placed, Target, ToFrame } from "../protocol.ts";
import { frameMessage } from "./frame-messages.ts";
import { WIDGET_CSS } from "./styles.ts";

export interface WidgetConfig {
  consultation: string;
  /** The service's /widget/ directory, from the loader's own URL. */
  base: URL;
  lang: string | null;
}

const pageUrl = (win: Window) => win.location.href.split("#")[0] as string;

/**
 * The part of the widget that lives in the agency's page, inside a shadow
 * root: a button beside each paragraph with its count, highlights painted
 * with the CSS Custom Highlight API (the page's DOM is never changed), a
 * button on selected words, and the sidebar frame from the service's origin.
 * The host element is absolutely placed and takes no room, so the page keeps
 * its layout; work is done in slices so no task blocks the page.
 */
export function mountWidget(win: Window & typeof globalThis, cfg: WidgetConfig, root: Element) {
  const doc = win.document;
  const serviceOrigin = cfg.base.origin;
  const locale: Locale =
    cfg.lang === "en" || cfg.lang === "zh-Hant"
      ? cfg.lang
      : browserLocale(win.navigator.languages ?? [win.navigator.language]);
  const t = inPageWords[locale];

  const host = doc.createElement("margin-widget");
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = IN_PAGE_CSS + WIDGET_CSS;
  const wrap = doc.createElement("div");
  wrap.className = "root";
  // A named landmark: everything the widget adds to the page is found under "Margin".
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", t.margin);
  wrap.lang = locale === "zh-Hant" ? "zh-Hant-TW" : "en";
  const gutter = doc.createElement("ul");
  gutter.className = "gutter";
  gutter.setAttribute("aria-label", t.paragraphs);
  const selButton = button("selbtn", t.commentOnSelection);
  selButton.hidden = true;
  const launcher = button("launcher", t.openPanel(0));
  const status = doc.createElement("div");
  status.className = "sr-only";
  status.setAttribute("role", "status");
  const frame = doc.createElement("iframe");
  frame.className = "frame";
  frame.title = t.panelLabel;
  frame.hidden = true;
  const src = new URL("sidebar.html", cfg.base);
  src.searchParams.set("consultation", cfg.consultation);
  src.searchParams.set("lang", locale);
  wrap.append(gutter, selButton, launcher, status);
  shadow.append(style, wrap);

  let paras: Paragraph[] = [];
  let buttons = new Map<string, HTMLButtonElement>();
  let placed: Placed[] = [];
  let anchors = new Map<string, Range | null>();
  let counts = new Map<string, number>();
  let active: string | null = null;
  let selection: Range | null = null;
  let frameReady = false;
  const queue: ToFrame[] = [];
  const highlighter = createHighlighter(win);
  const label = (key: string) => String(paras.findIndex((p) => p.key === key) + 1);

  function button(cls: string, text: string) {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    return b;
  }

  function post(msg: ToFrame) {
    if (!frameReady || !frame.contentWindow) queue.push(msg);
    else frame.contentWindow.postMessage(msg, serviceOrigin);
  }

  function openFrame() {
    frame.hidden = false;
    launcher.hidden = true;
    frame.focus();
  }

  function closeFrame() {
    frame.hidden = true;
    launcher.hidden = false;
    launcher.focus();
  }

  function targetOf(range: Range, key: string | null): Target | null {
    const selectors = describe(root, range);
    const quote = selectors.find((s) => s.type === "TextQuoteSelector");
    if (!quote || !("exact" in quote) || quote.exact.trim() === "") return null;
    return {
      selectors,
      quote: quote.exact,
      paragraphKey: key,
      label: key ? label(key) : null,
      source: pageUrl(win),
    };
  }

  function paragraphOf(node: Node): string | null {
    const i = closestIn(node, index);
    return i === undefined ? null : (paras[i]?.key ?? null);
  }

  // ---- gutter ----

  /**
   * Buttons exist only for paragraphs near the viewport. Their places come
   * from IntersectionObserver entries, measured by the browser in its own
   * rendering step: the widget never forces a layout of a long draft, and a
   * page of 2,000 paragraphs gets a few dozen buttons, not 2,000.
   */
  let index = new Map<Node, number>();
  const near = new Set<number>();
  const seen = new IntersectionObserver(
    (entries) => {
      const origin = host.getBoundingClientRect();
      const box = root.getBoundingClientRect();
      for (const e of entries) {
        const i = index.get(e.target);
        if (i === undefined) continue;
        if (e.isIntersecting) {
          near.add(i);
          place(i, e.boundingClientRect.top - origin.top, columnOf(box, origin));
        } else {
          near.delete(i);
          buttons.get(paras[i]?.key ?? "")?.parentElement?.remove();
          buttons.delete(paras[i]?.key ?? "");
        }
      }
    },
    { rootMargin: "50% 0px" },
  );

  const columnOf = (box: DOMRect, origin: DOMRect) =>
    box.left - origin.left >= 40 ? box.left - origin.left - 36 : box.right - origin.left + 6;

  function place(i: number, top: number, left: number) {
    const p = paras[i];
    if (!p) return;
    let b = buttons.get(p.key);
    if (!b) {
      const li = doc.createElement("li");
      li.className = "gpos";
      b = button("gbtn", "");
      b.dataset.key = p.key;
      b.addEventListener("click", () => onParagraph(p.key));
      li.append(b);
      // Keep the list in reading order for keyboard and screen-reader users.
      const after = [...gutter.children].find((c) => Number((c as HTMLElement).dataset.i) > i);
      li.dataset.i = String(i);
      gutter.insertBefore(li, after ?? null);
      buttons.set(p.key, b);
      paintButton(b, i);
    }
    const li = b.parentElement as HTMLElement;
    li.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  function paintButton(b: HTMLButtonElement, i: number) {
    const n = counts.get(paras[i]?.key ?? "") ?? 0;
    b.textContent = n > 0 ? String(n) : "+";
    b.classList.toggle("has", n > 0);
    b.setAttribute("aria-label", t.paragraphButton(n, String(i + 1)));
  }

  function watchParagraphs() {
    seen.disconnect();
    gutter.replaceChildren();
    buttons = new Map();
    near.clear();
    index = new Map(paras.map((p, i) => [p.element, i]));
    for (const p of paras) seen.observe(p.element);
  }

  function paintCounts() {
    let total = 0;
    for (const n of counts.values()) total += n;
    for (const [i, p] of paras.entries()) {
      const b = buttons.get(p.key);
      if (b) paintButton(b, i);
    }
    launcher.textContent = t.openPanel(total);
    host.setAttribute("data-count", String(total));
  }

  /** After a resize: the buttons there are moved, all reads before all writes. */
  function placeGutter() {
    const origin = host.getBoundingClientRect();
    const left = columnOf(root.getBoundingClientRect(), origin);
    const tops = [...near].map((i) => [i, paras[i]?.element.getBoundingClientRect().top ?? 0]);
    for (const [i, top] of tops) place(i as number, (top as number) - origin.top, left);
  }

  function onParagraph(key: string) {
    if ((counts.get(key) ?? 0) === 0) {
      const p = paras.find((x) => x.key === key);
      const target = p ? targetOf(paragraphRange(root, p), key) : null;
      if (target) post({ type: "margin:compose", target });
    } else post({ type: "margin:open", paragraph: { key, label: label(key) } });
    openFrame();
  }

  // ---- anchoring ----

  let run: AbortController | null = null;
  /**
   * Where each comment was found, by the selectors it was found with. A new list from the
   * frame (every pulled page, every +1) is mostly comments already placed: only new or
   * changed ones are looked for, until the page's text changes.
   */
  let found = new Map<string, Found<Range>>();
  async function anchorPlaced() {
    if (paras.length === 0) return; // placed once the paragraphs are read
    run?.abort();
    const mine = new AbortController();
    run = mine;
    const looked = toAnchor(placed, found);
    let ranges: (Range | null)[];
    try {
      ranges = await anchorAllYielding(
        root,
        looked.map(({ item }) => withContext(item.selectors)),
        { budgetMs: 8, signal: mine.signal },
      );
    } catch {
      return; // a newer run replaced this one
    }
    found = keptPlaces(placed, found, looked, ranges);
    const keys = new Set(paras.map((p) => p.key));
    anchors = new Map();
    counts = new Map();
    const orphans: string[] = [];
    for (const item of placed) {
      const range = found.get(item.id)?.range ?? null;
      anchors.set(item.id, range);
      if (!range) {
        orphans.push(item.id);
        continue;
      }
      const key =
        item.paragraphKey && keys.has(item.paragraphKey)
          ? item.paragraphKey
          : paragraphOf(range.startContainer);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    paintCounts();
    paint();
    post({ type: "margin:anchored", orphans });
  }

  function paint() {
    const all: Range[] = [];
    const on: Range[] = [];
    for (const [id, r] of anchors) {
      if (!r) continue;
      all.push(r);
      if (id === active) on.push(r);
    }
    highlighter.paint(all, on);
  }

  // ---- messages from the frame ----

  function onMessage(e: MessageEvent) {
    if (e.source !== frame.contentWindow || e.origin !== serviceOrigin) return;
    const msg = frameMessage(e.data);
    if (!msg) return;
    if (msg.type === "margin:ready") {
      frameReady = true;
      for (const m of queue.splice(0)) frame.contentWindow?.postMessage(m, serviceOrigin);
    } else if (msg.type === "margin:items") {
      placed = msg.items;
      void anchorPlaced();
    } else if (msg.type === "margin:show") {
      const range = anchors.get(msg.id);
      if (!range) return;
      active = msg.id;
      paint();
      range.startContainer.parentElement?.scrollIntoView({ block: "center" });
      status.textContent = range.toString().slice(0, 140);
    } else closeFrame();
  }

  // ---- the reader's selection ----

  function onPointerUp(e: Event) {
    if (e.composedPath().includes(host)) return;
    win.setTimeout(() => {
      const sel = win.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) {
        selection = null;
        selButton.hidden = true;
        return;
      }
      const range = sel.getRangeAt(0);
      if (!root.contains(range.commonAncestorContainer) || range.toString().trim() === "") return;
      selection = range.cloneRange();
      const rects = range.getClientRects();
      const last = rects[rects.length - 1] ?? range.getBoundingClientRect();
      const origin = host.getBoundingClientRect();
      selButton.style.transform = `translate(${Math.round(Math.max(4, last.right - origin.left - 60))}px, ${Math.round(last.bottom - origin.top + 6)}px)`;
      selButton.hidden = false;
    }, 0);
  }

  selButton.addEventListener("mousedown", (e) => e.preventDefault());
  selButton.addEventListener("click", () => {
    if (!selection) return;
    const target = targetOf(selection, paragraphOf(selection.startContainer));
    selButton.hidden = true;
    selection = null;
    if (!target) return;
    post({ type: "margin:compose", target });
    openFrame();
  });
  launcher.addEventListener("click", () => {
    post({ type: "margin:open", paragraph: null });
    openFrame();
  });

  // ---- the page changing under us ----

  let frameId = 0;
  const relayout = () => {
    if (frameId) return;
    frameId = win.requestAnimationFrame(() => {
      frameId = 0;
      placeGutter();
    });
  };
  let reread: number | null = null;
  const mutations = new MutationObserver((records) => {
    if (records.every((r) => host.contains(r.target) || r.target === host)) return;
    if (reread !== null) win.clearTimeout(reread);
    reread = win.setTimeout(() => {
      reread = null;
      void paragraphsYielding(root).then((list) => {
        paras = list;
        watchParagraphs();
        found = new Map();
        void anchorPlaced();
      });
    }, 500);
  });
  const resizes = new ResizeObserver(relayout);

  const onKeyUp = (e: KeyboardEvent) => {
    if (e.shiftKey || e.key.startsWith("Arrow")) onPointerUp(e);
  };
  let disposed = false;
  async function start() {
    doc.body.append(host);
    win.addEventListener("message", onMessage);
    doc.addEventListener("mouseup", onPointerUp);
    doc.addEventListener("keyup", onKeyUp);
    win.addEventListener("resize", relayout);
    // Reading paragraphs starts in a task of its own: begun in the frame's callback, its
    // first slice and the style update for the widget's host would make one long task.
    await afterNextFrame();
    paras = await paragraphsYielding(root);
    if (disposed) return; // the reader's extension took the page meanwhile
    watchParagraphs();
    // The frame comes last, when the page is idle: its document is a page load of its own.
    await new Promise<void>((r) => requestIdleCallback(() => r(), { timeout: 2000 }));
    if (disposed) return;
    frame.src = src.href;
    wrap.append(frame);
    if (placed.length > 0) void anchorPlaced();
    resizes.observe(doc.body);
    mutations.observe(root, { childList: true, subtree: true, characterData: true });
    host.setAttribute("data-ready", String(paras.length));
  }

  return {
    host,
    start,
    dispose() {
      disposed = true;
      run?.abort();
      seen.disconnect();
      mutations.disconnect();
      resizes.disconnect();
      highlighter.dispose();
      win.removeEventListener("message", onMessage);
      doc.removeEventListener("mouseup", onPointerUp);
      doc.removeEventListener("keyup", onKeyUp);
      host.remove();
    },
  };
}

/** After the next frame is drawn, in a task of its own (not inside the frame's callbacks). */
export const afterNextFrame = () =>
  new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
