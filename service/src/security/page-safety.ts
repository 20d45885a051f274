import { Window } from "happy-dom";

/** Elements that can run or load code, or change where links and forms go. */
const DANGEROUS_TAGS = new Set([
  "IFRAME",
  "FRAME",
  "FRAMESET",
  "OBJECT",
  "EMBED",
  "APPLET",
  "BASE",
  "FORM",
  "BUTTON",
  "INPUT",
  "TEXTAREA",
  "SELECT",
  "KEYGEN",
  "ISINDEX",
  "BGSOUND",
  "TEMPLATE",
  "XSS",
  "MARQUEE",
  "DETAILS",
  "VIDEO",
  "AUDIO",
  "SOURCE",
  "MATH",
]);
const URL_ATTRIBUTES =
  /^(href|src|action|formaction|xlink:href|data|background|dynsrc|lowsrc|srcdoc|poster|codebase|content)$/i;
const SCRIPTY_URL = /^(javascript|vbscript|livescript|data):/i;

/**
 * What on a server-rendered page could run script: every problem found, as
 * text (an empty list means the page is safe). Parsed like a browser would
 * (happy-dom, scripts never run); `allowedScripts` are the page's own.
 */
export function unsafeMarkup(page: string, allowedScripts: RegExp = /^\/[\w/.-]+\.js$/): string[] {
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      navigation: { disableMainFrameNavigation: true, disableChildFrameNavigation: true },
    },
  });
  const doc = new window.DOMParser().parseFromString(page, "text/html");
  const problems: string[] = [];
  for (const el of doc.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    if (tag === "SCRIPT") {
      const src = el.getAttribute("src");
      if (!src || !allowedScripts.test(src)) problems.push(`script: ${el.outerHTML.slice(0, 120)}`);
    }
    if (DANGEROUS_TAGS.has(tag)) problems.push(`element <${tag.toLowerCase()}>`);
    if (tag === "META" && el.hasAttribute("http-equiv")) problems.push("meta http-equiv");
    if (tag === "LINK" && el.getAttribute("href") !== "/assets/pages.css")
      problems.push(`link ${el.getAttribute("href")}`);
    if (tag === "STYLE") problems.push("style element");
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`event handler ${name} on <${tag.toLowerCase()}>`);
      // Browsers ignore control characters and spaces inside a scheme.
      const raw = attr.value ?? "";
      const value = [...raw].filter((ch) => ch.charCodeAt(0) > 0x20).join("");
      if (URL_ATTRIBUTES.test(name) && SCRIPTY_URL.test(value))
        problems.push(`${name}=${raw.slice(0, 60)} on <${tag.toLowerCase()}>`);
      if (name === "style" && /javascript:|expression\(|url\(|behavior|binding/i.test(value))
        problems.push(`style=${raw.slice(0, 60)}`);
    }
  }
  window.close();
  return problems;
}

/** The page's visible text, as the parser sees it. */
export function pageText(page: string): string {
  const window = new Window({
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true },
  });
  const text = new window.DOMParser().parseFromString(page, "text/html").body.textContent ?? "";
  window.close();
  return text;
}
