import type { Locale } from "@margin/model";
import { html } from "hono/html";
import type { ScoreRow } from "../features/accountability/scoreboard.ts";
import { publicWords } from "./public-words.ts";

function rateBar(rate: number | null) {
  const w = 80;
  const filled = rate === null ? 0 : rate * w;
  return html`<svg width="${w}" height="8" viewBox="0 0 ${w} 8" aria-hidden="true" focusable="false"><rect width="${w}" height="8" class="track"></rect><rect width="${filled.toFixed(1)}" height="8" class="fill"></rect></svg>`;
}

export function scoreboardBody(rows: ScoreRow[], lang: Locale) {
  const w = publicWords[lang];
  const pct = (r: number | null) => (r === null ? w.none : `${Math.round(r * 100)}%`);
  return html`<main>
<h1>${w.scoreboard}</h1>
<p>${w.scoreboardIntro}</p>
<table class="scoreboard">
<thead><tr><th scope="col">${w.agency}</th><th scope="col">${w.consultations}</th><th scope="col">${w.pointsHeading}</th><th scope="col">${w.answeredPoints}</th><th scope="col">${w.responseRate}</th><th scope="col">${w.medianDays}</th><th scope="col">${w.overdueHeading}</th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr>
<th scope="row">${r.agency.name[lang] ?? r.agency.name["zh-Hant"] ?? r.agency.name.en ?? r.agency.slug}</th>
<td>${r.consultations.length}</td>
<td>${r.points}</td>
<td>${r.answered}</td>
<td class="rate">${rateBar(r.responseRate)} ${pct(r.responseRate)}</td>
<td>${r.medianDaysToAnswer === null ? w.none : w.days(r.medianDaysToAnswer)}</td>
<td class="${r.overdue ? "late" : ""}">${r.overdue}</td>
</tr>`,
)}
</tbody></table>
<h2>${w.consultationsHeading}</h2>
<ul class="consultations">
${rows.flatMap((r) =>
  r.consultations.map(
    (k) =>
      html`<li><a href="/c/${k.consultation.id}/answers?lang=${lang}" lang="${k.consultation.locale}">${k.consultation.title}</a> <span class="meta">· ${r.agency.name[lang] ?? r.agency.slug} · ${w.counts(k.answered, k.total - k.answered, k.overdue)}</span></li>`,
  ),
)}
</ul>
</main>`;
}
