import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The frame of every server-rendered page: readable without JavaScript, text always escaped. */
export function layout(opts: {
  title: string;
  lang: string;
  body: Content;
  head?: Content;
  /** Extra header content, e.g. the language switch. */
  nav?: Content;
}) {
  return html`<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<link rel="stylesheet" href="/assets/pages.css">
${opts.head ?? ""}
</head>
<body>
<header class="site"><a href="/">Margin</a> <a class="side" href="/scoreboard">${opts.lang === "zh-Hant" ? "機關回應成績" : "Scoreboard"}</a>${opts.nav ?? ""}</header>
${opts.body}
</body>
</html>`;
}

export const pagesCss = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; }
body { margin: 0; font: 16px/1.7 system-ui, "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; color: var(--ink); }
header.site { padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); }
header.site a { font-weight: 700; color: var(--accent); text-decoration: none; }
main, .page { max-width: 46rem; margin: 0 auto; padding: 1rem 1.2rem 4rem; }
.meta { color: var(--muted); font-size: .9rem; }
.page main { padding: 0; }
.draft section.article { margin: 1.2rem 0; }
.draft h3 { margin: 1rem 0 .3rem; font-size: 1.05rem; }
ul.consultations { padding: 0; list-style: none; }
ul.consultations li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
a { color: var(--accent); }
header.site { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header.site a.side { font-weight: 400; }
nav.lang { margin-left: auto; display: flex; gap: .6rem; }
nav.lang [aria-current] { font-weight: 700; }
.status-line { padding: .6rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; }
.status-box { padding: .2rem 1rem .6rem; border: 1px solid var(--line); border-radius: 8px; background: #f6f8fa; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .85rem; background: #eaeef2; color: var(--ink); }
.badge.answered { background: #dafbe1; color: #0f5323; }
.badge.unanswered { background: #fff8c5; color: #6b4400; }
.badge.overdue { background: #ffebe9; color: #a40e26; }
.badge.campaign { background: #ddf4ff; color: #0a3069; }
.late { color: #a40e26; font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
section.paragraph { border-top: 1px solid var(--line); padding: .4rem 0; }
section.paragraph:not(.has-points) .ptext { color: var(--muted); font-size: .92rem; }
blockquote { margin: .4rem 0; padding-left: .8rem; border-left: 3px solid var(--line); white-space: pre-wrap; }
.ordinal { color: var(--muted); font-size: .85rem; }
ol.points { list-style: none; padding-left: 1rem; }
li.point { margin: .6rem 0; padding: .4rem .8rem; border-left: 4px solid #bf8700; background: #fffdf5; }
li.point.answered { border-left-color: #1a7f37; background: #f6fff8; }
li.point.overdue { border-left-color: #cf222e; background: #fff8f7; }
.point-head { margin: 0; }
.answer { border-top: 1px dashed var(--line); margin-top: .4rem; padding-top: .3rem; }
.answer .text, .answer li .text { white-space: pre-wrap; margin: .2rem 0; }
.stance svg, td.rate svg { vertical-align: middle; }
.stance .support, .fill { fill: #1a7f37; }
.stance .oppose { fill: #cf222e; }
.stance .neutral, .track { fill: #d0d7de; }
details summary { cursor: pointer; color: var(--accent); }
`;
