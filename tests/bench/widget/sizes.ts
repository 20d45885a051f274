/**
 * Sizes of the built widget beside the targets and Hypothesis's
 * equivalent bundles (boot script 1.9 KB, annotator 58 KB, sidebar 245 KB,
 * gzipped). Always builds the widget first, so the numbers are of this tree.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const root = join(import.meta.dirname, "..", "..", "..");
const dist = join(root, "widget", "dist");
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const parts = [
  {
    label: "loader (margin.js)",
    match: /^margin\.js$/,
    target: 3,
    peer: "Hypothesis boot script 1.9 KB",
  },
  {
    label: "in-page part",
    match: /^page\.[0-9a-f]+\.js$/,
    target: 20,
    peer: "Hypothesis annotator 58 KB",
  },
  {
    label: "sidebar (js + css + html)",
    match: /^sidebar\./,
    target: 60,
    peer: "Hypothesis sidebar 245 KB",
  },
  {
    label: "in-memory store (only frames denied storage)",
    match: /^memory-idb\.js$/,
    target: null,
    peer: "—",
  },
];

export default async function run(): Promise<string> {
  execFileSync("pnpm", ["--filter", "@margin/widget", "build"], { cwd: root, stdio: "ignore" });
  const files = readdirSync(dist);
  const rows = parts.map((p) => {
    let raw = 0;
    let gz = 0;
    for (const f of files.filter((n) => p.match.test(n))) {
      const body = readFileSync(join(dist, f));
      raw += body.length;
      gz += gzipSync(body, { level: 9 }).length;
    }
    const verdict =
      p.target === null ? "—" : `< ${p.target} KB ${gz <= p.target * 1024 ? "✅" : "❌"}`;
    return `| ${p.label} | ${kb(raw)} | **${kb(gz)}** | ${verdict} | ${p.peer} |`;
  });
  const md = [
    "| part | raw | gzip -9 | target | peer |",
    "| --- | ---: | ---: | --- | --- |",
    ...rows,
  ].join("\n");
  const results = join(root, "tests", "bench", "results");
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "widget-sizes.md"), `# Widget sizes\n\n${md}\n`);
  return md;
}
