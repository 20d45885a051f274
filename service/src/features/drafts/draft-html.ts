import { createHash } from "node:crypto";
import { paragraphs } from "@margin/anchoring";
import { Window } from "happy-dom";
import sanitizeHtml from "sanitize-html";

/**
 * Drafts are shown to the public from our own pages, so only document markup
 * survives: no scripts, styles, forms, frames, event handlers or javascript: links.
 * Ids and classes stay, because paragraph keys come from them.
 */
export function cleanDraftHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat([
      "main",
      "section",
      "article",
      "header",
      "h1",
      "h2",
      "del",
      "ins",
      "sup",
      "sub",
    ]),
    allowedAttributes: {
      "*": ["id", "class", "lang", "dir", "title"],
      a: ["href", "name"],
      td: ["colspan", "rowspan"],
      th: ["colspan", "rowspan"],
      ol: ["start", "type"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "head", "template"],
  });
}

export function textHash(text: string): string {
  return createHash("sha256")
    .update(text.normalize("NFKC").replace(/\s+/g, " ").trim())
    .digest("base64url")
    .slice(0, 16);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A paragraph list becomes a plain HTML draft, so both upload forms get their keys the same way. */
export function paragraphsToHtml(list: { key?: string; text: string }[]): string {
  return `<main>${list
    .map((p) => `<p${p.key ? ` id="${escapeHtml(p.key)}"` : ""}>${escapeHtml(p.text)}</p>`)
    .join("\n")}</main>`;
}

/**
 * The commentable paragraphs of a draft, keyed exactly as the browser clients
 * key them on the live page: the same `paragraphs()` runs in both places.
 */
export function extractParagraphs(html: string) {
  return withDraftBody(html, (root) => {
    const seen = new Set<string>();
    return paragraphs(root).flatMap((p, i) => {
      // Two identical paragraphs would share a content key; the second one gets its place added.
      let key = p.key;
      if (seen.has(key)) key = `${key}~${i}`;
      seen.add(key);
      // Keys come from the folded text; people read the text as the agency wrote it.
      const whole = p.element.textContent ?? "";
      const text = (p.range ? whole.slice(p.range.start, p.range.end) : whole)
        .replace(/\s+/g, " ")
        .trim();
      return text ? [{ key, ordinal: i, text, textHash: textHash(text) }] : [];
    });
  });
}

/**
 * Runs `read` on the body of a draft's HTML parsed by happy-dom with
 * scripts, loads and navigation off (a draft is data, never a page to run),
 * and closes the window after.
 */
export function withDraftBody<T>(html: string, read: (root: Node) => T): T {
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      navigation: {
        disableMainFrameNavigation: true,
        disableChildFrameNavigation: true,
        disableChildPageNavigation: true,
      },
    },
  });
  try {
    window.document.write(html);
    return read(window.document.body as unknown as Node);
  } finally {
    void window.happyDOM.close();
  }
}
