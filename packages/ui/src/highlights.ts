import { HIGHLIGHT_CSS } from "./styles.ts";

interface HighlightRegistry {
  set(name: string, h: unknown): void;
  delete(name: string): void;
}
type HighlightCtor = new (...ranges: Range[]) => unknown;

/**
 * Paints comment highlights with the CSS Custom Highlight API, so the page's
 * DOM (and the text other anchors are computed from) is never changed.
 * Returns a painter and its disposer.
 */
export function createHighlighter(win: Window & typeof globalThis) {
  const registry = (win.CSS as unknown as { highlights?: HighlightRegistry }).highlights;
  const Ctor = (win as unknown as { Highlight?: HighlightCtor }).Highlight;
  const doc = win.document;
  let style: HTMLStyleElement | null = null;
  let sheet: CSSStyleSheet | null = null;
  // A sheet added to the document restyles all of it (30 ms on the longest draft): only
  // once there is something to paint, so a page without comments never pays for it.
  function addSheet() {
    if (sheet || style) return;
    try {
      const made = new win.CSSStyleSheet();
      made.replaceSync(HIGHLIGHT_CSS);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, made];
      sheet = made;
    } catch {
      style = doc.createElement("style");
      style.textContent = HIGHLIGHT_CSS;
      (doc.head ?? doc.documentElement).append(style);
    }
  }
  return {
    supported: Boolean(registry && Ctor),
    paint(ranges: Range[], active: Range[]) {
      if (!registry || !Ctor) return;
      if (ranges.length + active.length > 0) addSheet();
      registry.set("margin-comment", new Ctor(...ranges));
      registry.set("margin-active", new Ctor(...active));
    },
    dispose() {
      registry?.delete("margin-comment");
      registry?.delete("margin-active");
      if (sheet) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      style?.remove();
    },
  };
}
