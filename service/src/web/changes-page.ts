import { diffChars, diffWordsWithSpace } from "diff";
import { Hono } from "hono";
import { html } from "hono/html";
import { listPoints } from "../features/accountability/points.repository.ts";
import { getConsultation } from "../features/consultations/consultations.repository.ts";
import { loadVersion } from "../features/drafts/drafts.routes.ts";
import { selectResponses, toResponses } from "../features/responses/responses.repository.ts";
import { versionChanges } from "../features/versions/versions.repository.ts";
import type { AppEnv } from "../http/context.ts";
import { layout } from "./layout.ts";

const t = {
  "zh-Hant": {
    title: "修正對照",
    intro: (from: number, to: number) =>
      `第 ${from} 版與第 ${to} 版的逐段差異，以及促成修改的意見與機關回應。`,
    none: "尚無修正版本。",
    kinds: {
      unchanged: "未修改",
      moved: "移動",
      edited: "修改",
      split: "拆分",
      merged: "合併",
      removed: "刪除",
      new: "新增",
    },
    before: "原文",
    after: "修正後",
    points: "民眾意見",
    answers: "機關回應",
    people: (n: number) => `${n} 人`,
    back: "回到草案",
  },
  en: {
    title: "What changed",
    intro: (from: number, to: number) =>
      `Version ${from} against version ${to}, paragraph by paragraph, with the comments and official answers that led to each change.`,
    none: "The draft has not been revised yet.",
    kinds: {
      unchanged: "unchanged",
      moved: "moved",
      edited: "reworded",
      split: "split",
      merged: "merged",
      removed: "removed",
      new: "new",
    },
    before: "Before",
    after: "After",
    points: "What people said",
    answers: "Official answers",
    people: (n: number) => `${n} ${n === 1 ? "person" : "people"}`,
    back: "Back to the draft",
  },
} as const;

const hasSpaces = (s: string) => /\s/.test(s.trim());

/** Old and new text with the differences marked; words for spaced scripts, characters for Chinese. */
function marked(oldText: string, newText: string) {
  const parts = hasSpaces(oldText)
    ? diffWordsWithSpace(oldText, newText)
    : diffChars(oldText, newText);
  return {
    before: parts
      .filter((p) => !p.added)
      .map((p) => (p.removed ? html`<del>${p.value}</del>` : html`${p.value}`)),
    after: parts
      .filter((p) => !p.removed)
      .map((p) => (p.added ? html`<ins>${p.value}</ins>` : html`${p.value}`)),
  };
}

/** /c/{id}/changes: "you said, we did" — the public view of a revision. */
export function changesPageRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/c/:id/changes", async (c) => {
    const { db, now } = c.get("deps");
    const id = c.req.param("id");
    if (!/^[0-9a-f-]{36}$/i.test(id)) return c.notFound();
    const consultation = await getConsultation(db, id, now());
    if (!consultation || consultation.status === "draft") return c.notFound();
    const q = c.req.query("lang");
    const lang = q === "en" || q === "zh-Hant" ? q : consultation.locale;
    const w = t[lang];
    const version = Number(c.req.query("version") ?? consultation.currentVersion ?? 0);
    const body = async () => {
      if (!Number.isInteger(version) || version < 2) return html`<p>${w.none}</p>`;
      const [before, after] = await Promise.all([
        loadVersion(db, id, version - 1),
        loadVersion(db, id, version),
      ]);
      if (!before || !after) return html`<p>${w.none}</p>`;
      const oldText = new Map(before.paragraphs.map((p) => [p.key, p.text]));
      const newText = new Map(after.paragraphs.map((p) => [p.key, p.text]));
      const { changes } = await versionChanges(db, id, version);
      const points = await listPoints(db, id, new Date(consultation.respondBy), now());
      const responses = await toResponses(
        db,
        await selectResponses(db)
          .where("r.consultation_id", "=", id)
          .where("r.status", "=", "published")
          .execute(),
      );
      const shown = changes.filter((ch) => ch.kind !== "unchanged");
      return html`<ol class="changes">
${shown.map((ch) => {
  const from = ch.old_key ? (oldText.get(ch.old_key) ?? "") : "";
  const to = ch.new_keys.map((k) => newText.get(k) ?? "").join("\n");
  const diff = marked(from, to);
  const here = points.filter((pt) => pt.paragraphKey !== null && pt.paragraphKey === ch.old_key);
  const answers = responses.filter(
    (r) =>
      (r.citesChange &&
        r.citesChange.version === version &&
        ch.new_keys.includes(r.citesChange.paragraphKey)) ||
      (r.target.type === "paragraph" && r.target.key === ch.old_key) ||
      (r.target.type === "cluster" && here.some((pt) => pt.id === (r.target as { id: string }).id)),
  );
  return html`<li class="change ${ch.kind}">
  <h2><span class="kind">${w.kinds[ch.kind]}</span> ${ch.old_key ?? ch.new_keys.join(", ")}</h2>
  ${ch.kind === "new" ? "" : html`<p class="before"><span class="label">${w.before}</span> ${diff.before}</p>`}
  ${ch.kind === "removed" ? "" : html`<p class="after"><span class="label">${w.after}</span> ${diff.after}</p>`}
  ${here.length ? html`<h3>${w.points}</h3><ul>${here.map((pt) => html`<li>${pt.representative.text} <span class="meta">(${w.people(pt.people)})</span></li>`)}</ul>` : ""}
  ${answers.length ? html`<h3>${w.answers}</h3><ul>${answers.map((r) => html`<li><strong>${r.official.displayName}</strong> · ${r.disposition} · ${r.text}</li>`)}</ul>` : ""}
</li>`;
})}
</ol>`;
    };
    return c.html(
      layout({
        title: `${w.title} — ${consultation.title}`,
        lang,
        head: html`<style>
del { background: #ffe1e1; color: #7a0b0b; } ins { background: #d8f5dd; color: #0a4a17; text-decoration: none; }
ol.changes { list-style: none; padding: 0; } li.change { border-top: 1px solid #d0d7de; padding: .6rem 0; }
.kind { font-size: .85rem; padding: .1rem .4rem; border-radius: .3rem; background: #eef2f6; color: #1b1f24; }
.label { font-weight: 600; margin-right: .4rem; }
</style>`,
        body: html`<main>
<h1>${w.title}: ${consultation.title}</h1>
<p>${Number.isInteger(version) && version >= 2 ? w.intro(version - 1, version) : ""}</p>
<p><a href="/c/${id}">${w.back}</a></p>
${await body()}
</main>`,
      }),
    );
  });
  return app;
}
