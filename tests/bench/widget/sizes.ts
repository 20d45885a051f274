/**
 * Sizes of the built widget beside the targets and Hypothesis's
 * equivalent bundles (boot script 1.9 KB, annotator 58 KB, sidebar 245 KB,
 * gzipped). Always builds the widget first, so the numbers are of this tree.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureWidget } from "../../support/widget-sizes.ts";

const root = join(import.meta.dirname, "..", "..", "..");
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export default async function run(): Promise<string> {
  execFileSync("pnpm", ["--filter", "@margin/widget", "build"], { cwd: root, stdio: "ignore" });
  const rows = measureWidget().map((p) => {
    const verdict =
      p.target === null ? "—" : `< ${p.target} KB ${p.gz <= p.target * 1024 ? "✅" : "❌"}`;
    return `| ${p.label} | ${kb(p.raw)} | **${kb(p.gz)}** | ${verdict} | ${p.peer} |`;
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
