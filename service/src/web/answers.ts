import type { Consultation, Locale, OfficialResponse, Point } from "@margin/model";
import { html } from "hono/html";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { accountabilityOf } from "../features/accountability/report.ts";
import { loadVersion } from "../features/drafts/drafts.routes.ts";
import { selectResponses, toResponses } from "../features/responses/responses.repository.ts";
import { consultationHeader, stanceBar, stateBadge } from "./public-parts.ts";
import { formatDay, formatMoment, type PublicWords, publicWords } from "./public-words.ts";

const DAY = 86_400_000;

/** Everything the answers page shows, read straight from the repositories (no HTTP). */
export async function loadAnswers(db: Kysely<Database>, c: Consultation, now: Date) {
  const [{ report, points }, version, rows] = await Promise.all([
    accountabilityOf(db, c, now),
    c.currentVersion ? loadVersion(db, c.id, c.currentVersion) : null,
    selectResponses(db)
      .where("r.consultation_id", "=", c.id)
      .where("r.status", "=", "published")
      .orderBy("r.published_at")
      .execute(),
  ]);
  return { report, points, version, responses: await toResponses(db, rows) };
}

type Loaded = Awaited<ReturnType<typeof loadAnswers>>;

function stateOf(p: Point) {
  return p.answered ? "answered" : p.overdue ? "overdue" : "unanswered";
}

/** What the public sees of an answer, with every published revision when it was edited. */
function answer(r: OfficialResponse, lang: Locale, w: PublicWords) {
  const last = r.history.at(-1);
  const at = r.publishedAt ?? r.updatedAt;
  return html`<article class="answer">
<p class="meta"><strong>${r.official.displayName}</strong> · <span class="badge disposition">${w.dispositions[r.disposition]}</span> · <time datetime="${last?.at ?? at}">${formatMoment(last?.at ?? at, lang)}</time></p>
<p class="text">${r.text}</p>
${
  r.history.length > 1
    ? html`<details class="history"><summary>${w.revisions(r.history.length)}</summary><ol>
${r.history.map(
  (h) =>
    html`<li><p class="meta">${w.revision(h.revision)} · ${h.official.displayName} · ${w.dispositions[h.disposition]} · <time datetime="${h.at}">${formatMoment(h.at, lang)}</time></p><p class="text">${h.text}</p></li>`,
)}
</ol></details>`
    : ""
}
</article>`;
}

function pointItem(
  p: Point,
  answers: OfficialResponse[],
  c: Consultation,
  lang: Locale,
  w: PublicWords,
) {
  const state = stateOf(p);
  return html`<li class="point ${state}" id="point-${p.id}">
<p class="point-head">${stateBadge(state, w)}${p.campaign ? html` <span class="badge campaign" title="${w.campaignHelp}">${w.campaign}</span>` : ""} <span class="meta">${w.people(p.people)} · ${w.comments(p.size)}</span></p>
<blockquote class="rep" lang="${c.locale}">${p.representative.text}</blockquote>
<p class="meta">${stanceBar(p.stance, w)}</p>
${answers.length ? answers.map((r) => answer(r, lang, w)) : html`<p class="meta">${w.noAnswer}</p>`}
</li>`;
}

/** `/c/{id}/answers`: the draft paragraph by paragraph with its points and the official answers. */
export function answersBody(c: Consultation, data: Loaded, lang: Locale, now: Date) {
  const w = publicWords[lang];
  const { report, points, version, responses } = data;
  const byId = new Map(responses.map((r) => [r.id, r]));
  const paragraphAnswers = (key: string) =>
    responses.filter((r) => r.target.type === "paragraph" && r.target.key === key);
  const pointAnswers = (p: Point) =>
    p.responseIds.flatMap((id) => {
      const r = byId.get(id);
      return r && r.target.type !== "paragraph" ? [r] : [];
    });
  const byParagraph = new Map<string | null, Point[]>();
  for (const p of points) {
    const list = byParagraph.get(p.paragraphKey) ?? [];
    list.push(p);
    byParagraph.set(p.paragraphKey, list);
  }
  const countsOf = new Map(report.byParagraph.map((b) => [b.paragraphKey, b]));
  const known = new Set(version?.paragraphs.map((p) => p.key) ?? []);
  const others = points.filter((p) => p.paragraphKey === null || !known.has(p.paragraphKey));
  const n = report.points;
  const late = now.getTime() > Date.parse(report.respondBy);
  const daysLeft = Math.ceil((Date.parse(report.respondBy) - now.getTime()) / DAY);

  return html`<main>
${consultationHeader(c, lang, w.answersTitle)}
<p><a href="/c/${c.id}?lang=${lang}">${w.draftLink}</a></p>

<section aria-labelledby="status-h" class="status-box">
<h2 id="status-h">${w.statusHeading}</h2>
<p class="counts"><strong>${w.points(n.total)}</strong>: ${stateBadge("answered", w)} ${n.answered} · ${stateBadge("unanswered", w)} ${n.unanswered} · ${stateBadge("overdue", w)} ${n.overdue}</p>
<p>${w.respondBy}: <time datetime="${report.respondBy}">${formatDay(report.respondBy, lang)}</time>. ${late ? html`<strong class="${n.unanswered ? "late" : ""}">${w.deadlinePassed}</strong>` : w.deadlineAhead(daysLeft)}</p>
${report.pending ? html`<p class="meta">${w.pending(report.pending)}</p>` : ""}
</section>

<section aria-labelledby="officials-h">
<h2 id="officials-h">${w.byOfficial}</h2>
${
  report.byOfficial.length
    ? html`<table class="officials">
<thead><tr><th scope="col">${w.official}</th><th scope="col">${w.assigned}</th><th scope="col">${w.answeredPoints}</th><th scope="col">${w.unansweredAssigned}</th></tr></thead>
<tbody>
${report.byOfficial.map(
  (o) =>
    html`<tr><th scope="row">${o.official.displayName}</th><td>${o.assigned ? w.yes : w.no}</td><td>${o.answered}</td><td class="${o.unansweredAssigned && late ? "late" : ""}">${o.unansweredAssigned}</td></tr>`,
)}
</tbody></table>`
    : html`<p>${w.noOfficials}</p>`
}
</section>

<section aria-labelledby="paragraphs-h">
<h2 id="paragraphs-h">${w.byParagraph}</h2>
${version ? "" : html`<p>${w.noDraft}</p>`}
${(version?.paragraphs ?? []).map((para) => {
  const list = byParagraph.get(para.key) ?? [];
  const counts = countsOf.get(para.key);
  const whole = paragraphAnswers(para.key);
  return html`<section class="paragraph${list.length ? " has-points" : ""}" id="p-${para.key}">
<blockquote class="ptext" lang="${c.locale}"><span class="ordinal">§${para.ordinal + 1}</span> ${para.text}</blockquote>
${
  counts
    ? html`<p class="meta">${w.counts(counts.answered, counts.unanswered, counts.overdue)}</p>`
    : ""
}
${whole.length ? html`<div class="paragraph-answers"><h3>${w.paragraphAnswer}</h3>${whole.map((r) => answer(r, lang, w))}</div>` : ""}
${list.length ? html`<ol class="points">${list.map((p) => pointItem(p, pointAnswers(p), c, lang, w))}</ol>` : ""}
</section>`;
})}
${
  others.length
    ? html`<section class="paragraph has-points" aria-labelledby="other-h"><h3 id="other-h">${w.otherPoints}</h3>
<ol class="points">${others.map((p) => pointItem(p, pointAnswers(p), c, lang, w))}</ol></section>`
    : ""
}
</section>
</main>`;
}
