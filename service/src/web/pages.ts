import { Hono } from "hono";
import { html, raw } from "hono/html";
import { accountabilityOf } from "../features/accountability/report.ts";
import { scoreboard } from "../features/accountability/scoreboard.ts";
import {
  getConsultation,
  listConsultations,
} from "../features/consultations/consultations.repository.ts";
import { loadVersion } from "../features/drafts/drafts.routes.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import { answersBody, loadAnswers } from "./answers.ts";
import { layout, pagesCss } from "./layout.ts";
import { consultationHeader, langSwitch, stateBadge } from "./public-parts.ts";
import { langFromHeader, pickLang, publicWords } from "./public-words.ts";
import { scoreboardBody } from "./scoreboard.ts";

/** The answers and scoreboard pages carry no script at all; only our stylesheet. */
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'";

/** Server-rendered pages: the home list and each consultation's draft as published by Margin. */
export function pageRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/assets/pages.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(pagesCss);
  });

  app.get("/", async (c) => {
    const { db, now } = c.get("deps");
    const list = await listConsultations(db, {}, now());
    return c.html(
      layout({
        title: "Margin — public comment on draft regulations",
        lang: "en",
        body: html`<main>
<h1>Margin</h1>
<p>Comment on any paragraph of a draft regulation, and see the responsible officials answer every point.</p>
<h2>Consultations</h2>
<ul class="consultations">
${list.map((k) => html`<li lang="${k.locale}"><a href="/c/${k.id}">${k.title}</a> <span class="meta">· ${k.agency.name[k.locale] ?? k.agency.slug} · ${publicWords[k.locale].status[k.status]} · <a href="/c/${k.id}/answers">${publicWords[k.locale].answersTitle}</a></span></li>`)}
</ul>
<p class="meta"><a href="/scoreboard?lang=en">Agency scoreboard</a> · <a href="/console">Officials’ console</a> · <a href="/docs">API documentation</a> · <a href="/openapi.json">OpenAPI</a></p>
</main>`,
      }),
    );
  });

  /** A published consultation for the public pages, or null for a 404. */
  async function publicConsultation(db: Deps["db"], id: string, at: Date) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const consultation = await getConsultation(db, id, at);
    return consultation && consultation.status !== "draft" ? consultation : null;
  }

  app.get("/c/:id", async (c) => {
    const { db, now } = c.get("deps");
    const at = now();
    const id = c.req.param("id");
    const consultation = await publicConsultation(db, id, at);
    if (!consultation) return c.notFound();
    const lang = pickLang(c.req.query("lang"), consultation.locale);
    const w = publicWords[lang];
    const [version, { report }] = await Promise.all([
      consultation.currentVersion ? loadVersion(db, id, consultation.currentVersion) : null,
      accountabilityOf(db, consultation, at),
    ]);
    const n = report.points;
    const draftHtml = version?.html ?? "";
    // A draft that brings its own <main> keeps it as the page's main landmark (its paragraph
    // keys were computed with it), so the page does not wrap it in a second one.
    const ownMain = /<main[\s>]/i.test(draftHtml);
    return c.html(
      layout({
        title: consultation.title,
        lang,
        nav: langSwitch(`/c/${id}`, lang),
        body: html`<div class="page">
<section class="intro" aria-labelledby="consultation-title">
${consultationHeader(consultation, lang)}
<p class="status-line"><a href="/c/${id}/answers?lang=${lang}">${w.answersLink}</a> —
${w.points(n.total)}: ${stateBadge("answered", w)} ${n.answered} · ${stateBadge("unanswered", w)} ${n.unanswered} · ${stateBadge("overdue", w)} ${n.overdue}</p>
</section>
${raw(ownMain ? '<div class="draft-wrap">' : '<main class="draft-wrap">')}
<article class="draft" id="draft" lang="${consultation.locale}">${raw(draftHtml)}</article>
${raw(ownMain ? "</div>" : "</main>")}
</div>
<script src="/widget/margin.js" data-consultation="${consultation.id}" data-content="#draft" data-lang="${lang}" async></script>`,
      }),
    );
  });

  app.get("/c/:id/answers", async (c) => {
    const { db, now } = c.get("deps");
    const at = now();
    const id = c.req.param("id");
    const consultation = await publicConsultation(db, id, at);
    if (!consultation) return c.notFound();
    const lang = pickLang(c.req.query("lang"), consultation.locale);
    const data = await loadAnswers(db, consultation, at);
    c.header("Content-Security-Policy", PAGE_CSP);
    return c.html(
      layout({
        title: `${consultation.title} — ${publicWords[lang].answersTitle}`,
        lang,
        nav: langSwitch(`/c/${id}/answers`, lang),
        body: answersBody(consultation, data, lang, at),
      }),
    );
  });

  app.get("/scoreboard", async (c) => {
    const { db, now } = c.get("deps");
    const lang = pickLang(c.req.query("lang"), langFromHeader(c.req.header("accept-language")));
    const rows = await scoreboard(db, now());
    c.header("Content-Security-Policy", PAGE_CSP);
    return c.html(
      layout({
        title: `Margin — ${publicWords[lang].scoreboard}`,
        lang,
        nav: langSwitch("/scoreboard", lang),
        body: scoreboardBody(rows, lang),
      }),
    );
  });

  return app;
}
