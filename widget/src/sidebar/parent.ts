import type { ToFrame, ToPage } from "../protocol.ts";
import { pageMessage } from "./page-messages.ts";

/**
 * The page that frames us. Its origin comes from the browser
 * (`location.ancestorOrigins`, else the referrer), never from a message or
 * the URL; the sidebar's Content-Security-Policy (frame-ancestors) already
 * limits which pages may frame it to the consultation's registered sites.
 */
export function parentOrigin(win: Window): string | null {
  if (win.parent === win) return null;
  const ancestors = win.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? null;
  try {
    return win.document.referrer ? new URL(win.document.referrer).origin : null;
  } catch {
    return null;
  }
}

export function connectParent(win: Window, origin: string, onMessage: (m: ToFrame) => void) {
  const listener = (e: MessageEvent) => {
    if (e.source !== win.parent || e.origin !== origin) return;
    const msg = pageMessage(e.data);
    if (msg) onMessage(msg);
  };
  win.addEventListener("message", listener);
  return {
    post(msg: ToPage) {
      win.parent.postMessage(msg, origin);
    },
    dispose() {
      win.removeEventListener("message", listener);
    },
  };
}
