/**
 * The one script an agency adds to its page. It stays tiny and is cached
 * briefly; it only decides whether to run and then loads the in-page part
 * (cached for good, its URL names its content) when the browser is idle, so
 * the page's own loading comes first.
 */
declare const __PAGE_FILE__: string;

(() => {
  const me = document.currentScript as HTMLScriptElement | null;
  if (!me?.src) return;
  const html = document.documentElement;
  // The reader's own Margin extension, or a second copy of this script, already serves the page.
  if (html.hasAttribute("data-margin-extension") || html.hasAttribute("data-margin-widget")) return;
  html.setAttribute("data-margin-widget", "");
  const s = document.createElement("script");
  s.src = new URL(__PAGE_FILE__, me.src).href;
  s.async = true;
  if (me.nonce) s.nonce = me.nonce;
  for (const name of ["data-consultation", "data-content", "data-lang"]) {
    const v = me.getAttribute(name);
    if (v !== null) s.setAttribute(name, v);
  }
  const go = () => (document.head ?? html).append(s);
  if ("requestIdleCallback" in window) requestIdleCallback(go, { timeout: 1500 });
  else setTimeout(go, 1);
})();
