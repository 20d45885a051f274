import { resolveLocale } from "@margin/ui";
import { render } from "preact";
import { browser } from "wxt/browser";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { createShadowRootUi } from "wxt/utils/content-script-ui/shadow-root";
import { defineContentScript } from "wxt/utils/define-content-script";
import { storage } from "wxt/utils/storage";
import type { PageInfo } from "../../shared/messages.ts";
import { applyUpdate, type PageUpdate } from "../../shared/page-updates.ts";
import { PAGE_PORT } from "../../shared/ports.ts";
import { App } from "./App.tsx";
import { createAnnotator } from "./annotator.ts";
import { ask } from "./messaging.ts";
import { SHADOW_CSS } from "./styles.ts";

const LOADED = Symbol.for("margin.content.loaded");

/**
 * Injected only where the person allowed it (registered with
 * browser.scripting, never in the manifest). It asks the background whether
 * this page is a consultation or a site turned on, and only then shows
 * anything. It never holds the credential and never calls the service.
 */
export default defineContentScript({
  registration: "runtime",
  async main(ctx) {
    const g = globalThis as Record<symbol, unknown>;
    if (g[LOADED]) return;
    g[LOADED] = true;
    ctx.onInvalidated(() => {
      g[LOADED] = false;
    });
    const hello = await ask<PageInfo>({ type: "page.hello" });
    if (!hello.ok || !hello.value.active || ctx.isInvalid) {
      // Not for this page (yet): a later injection, after the site is turned on, may run.
      g[LOADED] = false;
      return;
    }
    await mount(ctx, hello.value);
  },
});

async function mount(ctx: ContentScriptContext, info: PageInfo) {
  // The reader's own Margin serves this page: an agency's embedded widget stands down.
  document.documentElement.setAttribute("data-margin-extension", "");
  document.dispatchEvent(new CustomEvent("margin:extension"));
  let hostEl: Element | null = null;
  const a = createAnnotator(window, info, () => hostEl);
  const localeSetting = storage.defineItem<"auto" | "zh-Hant" | "en">("local:locale", {
    fallback: "auto",
  });
  const setLocale = (v: "auto" | "zh-Hant" | "en") => {
    a.locale.value = resolveLocale(v, navigator.languages ?? [navigator.language]);
  };
  setLocale(await localeSetting.getValue());
  const unwatch = localeSetting.watch((v) => setLocale(v ?? "auto"));

  const ui = await createShadowRootUi(ctx, {
    name: "margin-annotator",
    position: "inline",
    anchor: "html",
    append: "last",
    css: SHADOW_CSS,
    inheritStyles: true,
    isolateEvents: true,
    onMount(container, _shadow, shadowHost) {
      hostEl = shadowHost;
      shadowHost.setAttribute("data-margin", "");
      render(<App a={a} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  a.readParagraphs();
  ui.mount();

  // Live comments from the background, over a port that is reopened if the worker restarts.
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  const connect = () => {
    if (ctx.isInvalid) return;
    port = browser.runtime.connect({ name: PAGE_PORT });
    port.onMessage.addListener((m: unknown) => {
      a.state.value = applyUpdate(a.state.value, m as PageUpdate);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      ctx.setTimeout(connect, 1000);
    });
  };
  connect();

  // Layout: gutter positions follow the page.
  let frame = 0;
  const relayout = () => {
    if (frame) return;
    frame = ctx.requestAnimationFrame(() => {
      frame = 0;
      a.layout.value++;
    });
  };
  ctx.addEventListener(window, "resize", relayout);
  const resizeObserver = new ResizeObserver(relayout);
  resizeObserver.observe(document.body);

  // The page's text changed (a live page): read paragraphs and re-anchor, after a pause.
  let reread: number | null = null;
  const mutations = new MutationObserver((records) => {
    if (records.every((r) => hostEl?.contains(r.target) || r.target === hostEl)) return;
    if (reread !== null) clearTimeout(reread);
    reread = ctx.setTimeout(() => {
      reread = null;
      a.readParagraphs();
      void a.anchorAllItems(true);
      relayout();
    }, 500);
  });
  mutations.observe(document.body, { childList: true, subtree: true, characterData: true });

  // Selecting words offers a comment; a click on a highlight opens its thread.
  ctx.addEventListener(document, "mouseup", (e) => {
    if (hostEl && e.composedPath().includes(hostEl)) return;
    ctx.setTimeout(() => {
      a.captureSelection();
      const sel = window.getSelection();
      if (sel?.isCollapsed) {
        const item = a.itemAtPoint(e.clientX, e.clientY);
        if (item) {
          const key = a.byParagraph.value;
          for (const [k, list] of key) if (list.includes(item)) a.openParagraph(k, false);
          a.activeId.value = item.id;
        }
      }
    }, 0);
  });
  ctx.addEventListener(document, "keyup", (e) => {
    if (e.shiftKey || e.key.startsWith("Arrow")) a.captureSelection();
  });
  // Alt+Shift+M: comment on the selected words, or go to the paragraph buttons.
  ctx.addEventListener(window, "keydown", (e) => {
    if (!(e.altKey && e.shiftKey && (e.key === "M" || e.key === "m" || e.code === "KeyM"))) return;
    e.preventDefault();
    a.captureSelection();
    if (a.composeForSelection()) return;
    const shadow = ui.shadow;
    const key = a.focusKey.value;
    const btn =
      (key &&
        shadow.querySelector<HTMLButtonElement>(`button.gbtn[data-key="${CSS.escape(key)}"]`)) ||
      shadow.querySelector<HTMLButtonElement>("button.gbtn");
    btn?.focus();
  });

  ctx.onInvalidated(() => {
    unwatch();
    port?.disconnect();
    resizeObserver.disconnect();
    mutations.disconnect();
    a.dispose();
    ui.remove();
  });
}
