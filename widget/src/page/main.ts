import { findContent, hasText } from "./find-content.ts";
import { afterNextFrame, mountWidget } from "./widget.ts";

/**
 * The in-page part, loaded by margin.js with the agency's data-* settings.
 * Pages that build their text with a script after load are waited for (up
 * to 30 s) until the draft's text is there.
 */
const me = document.currentScript as HTMLScriptElement | null;
const consultation = me?.getAttribute("data-consultation");
if (me?.src && consultation) {
  const cfg = {
    consultation,
    base: new URL(".", me.src),
    lang: me.getAttribute("data-lang"),
  };
  const selector = me.getAttribute("data-content");
  const ready = () => {
    const root = findContent(document, selector);
    return root && hasText(root, 200) ? root : null;
  };
  const go = async (root: Element) => {
    // The page's own first layout and paint come first; the widget starts in the frame after.
    if (document.readyState === "loading")
      await new Promise((r) => document.addEventListener("DOMContentLoaded", r, { once: true }));
    await afterNextFrame();
    // The reader's own extension may have come while this script loaded: it serves the page.
    if (document.documentElement.hasAttribute("data-margin-extension")) return;
    const w = mountWidget(window, cfg, root);
    // The reader's own extension takes over the page when it arrives.
    document.addEventListener("margin:extension", () => w.dispose(), { once: true });
    void w.start();
  };
  const root = ready();
  if (root) void go(root);
  else {
    const watch = new MutationObserver(() => {
      const found = ready();
      if (!found) return;
      watch.disconnect();
      clearTimeout(timer);
      void go(found);
    });
    const timer = setTimeout(() => watch.disconnect(), 30_000);
    watch.observe(document.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  }
}
