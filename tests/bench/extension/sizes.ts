/**
 * Sizes of the built extension: the content script must stay under 40 KB
 * gzipped (it is injected into every page the person turned Margin on for).
 * Builds the extension first when it has not been built.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const root = join(import.meta.dirname, "..", "..", "..");
const ext = join(root, "extension");
const out = join(ext, ".output");
const LIMIT = 40 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export default async function run(): Promise<string> {
  if (!existsSync(join(out, "chrome-mv3", "content-scripts", "content.js"))) {
    execFileSync("pnpm", ["--filter", "@margin/extension", "build"], {
      cwd: root,
      stdio: "ignore",
    });
  }
  const rows: string[] = [];
  let contentGz = 0;
  for (const target of ["chrome-mv3", "firefox-mv2"]) {
    const dir = join(out, target);
    for (const f of files(dir)
      .filter((p) => /\.(js|css|html)$/.test(p))
      .sort()) {
      const raw = readFileSync(f);
      const gz = gzipSync(raw, { level: 9 }).length;
      const name = relative(dir, f);
      if (target === "chrome-mv3" && name === "content-scripts/content.js") contentGz = gz;
      rows.push(`| ${target} | ${name} | ${kb(raw.length)} | ${kb(gz)} |`);
    }
  }
  const zips = readdirSync(out)
    .filter((f) => f.endsWith(".zip"))
    .sort()
    .map((f) => `| ${f} | ${kb(statSync(join(out, f)).size)} |`);
  const verdict = contentGz <= LIMIT ? "within" : "OVER";
  const md = [
    `Content script (Chrome build): **${kb(contentGz)} gzipped** — ${verdict} the 40 KB limit (${((contentGz / LIMIT) * 100).toFixed(0)} %).`,
    "",
    "It carries Preact, @preact/signals, @margin/anchoring (with approx-string-match), WXT's content-script runtime and storage, and the page UI; no zod, no Dexie (those stay in the background).",
    "",
    "| build | file | raw | gzip -9 |",
    "| --- | --- | ---: | ---: |",
    ...rows,
    "",
    "| store package | size |",
    "| --- | ---: |",
    ...zips,
  ].join("\n");
  const results = join(root, "tests", "bench", "results");
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "extension-sizes.md"), `# Extension sizes\n\n${md}\n`);
  return md;
}
