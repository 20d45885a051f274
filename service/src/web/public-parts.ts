import type { Consultation, Locale } from "@margin/model";
import { html } from "hono/html";
import { formatDay, type PublicWords, publicWords } from "./public-words.ts";

const names: Record<Locale, string> = { "zh-Hant": "中文", en: "English" };

/** Plain links, so switching language works without JavaScript and search engines see both. */
export function langSwitch(path: string, lang: Locale) {
  const w = publicWords[lang];
  return html`<nav class="lang" aria-label="${w.language}">${(Object.keys(names) as Locale[]).map(
    (l) =>
      l === lang
        ? html`<span lang="${l}" aria-current="true">${names[l]}</span>`
        : html`<a href="${path}?lang=${l}" hreflang="${l}" lang="${l}">${names[l]}</a>`,
  )}</nav>`;
}

/** Title, agency, dates and status, in the page's language; the title keeps the draft's own. */
export function consultationHeader(c: Consultation, lang: Locale, title?: string) {
  const w = publicWords[lang];
  const agency = c.agency.name[lang] ?? c.agency.name[c.locale] ?? c.agency.slug;
  return html`<h1 id="consultation-title"><span lang="${c.locale}">${c.title}</span>${title ? html` — ${title}` : ""}</h1>
<p class="meta">${agency} ·
${w.opens} ${formatDay(c.opensAt, lang)} ${w.to} ${formatDay(c.closesAt, lang)} · ${w.respondBy} ${formatDay(c.respondBy, lang)} ·
<strong>${w.status[c.status]}</strong></p>
${c.summary ? html`<p lang="${c.locale}">${c.summary}</p>` : ""}`;
}

/** Support / oppose / neutral as an SVG bar (attributes, not inline styles) with the numbers in words. */
export function stanceBar(s: { support: number; oppose: number; neutral: number }, w: PublicWords) {
  const total = s.support + s.oppose + s.neutral || 1;
  const width = 100;
  const a = (s.support / total) * width;
  const b = (s.oppose / total) * width;
  const label = w.stance(s.support, s.oppose, s.neutral);
  return html`<span class="stance"><svg width="${width}" height="8" viewBox="0 0 ${width} 8" aria-hidden="true" focusable="false"><rect width="${width}" height="8" class="neutral"></rect><rect width="${a.toFixed(1)}" height="8" class="support"></rect><rect x="${a.toFixed(1)}" width="${b.toFixed(1)}" height="8" class="oppose"></rect></svg> ${label}</span>`;
}

export function stateBadge(state: "answered" | "unanswered" | "overdue", w: PublicWords) {
  return html`<span class="badge ${state}">${w[state]}</span>`;
}
