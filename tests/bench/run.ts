/**
 * `pnpm bench`: runs every benchmark under tests/bench (never part of `npm test`).
 * A benchmark is a module whose default export is `async () => string` (markdown
 * with what it measured beside the peer or limit it is compared with). The
 * results are collected in tests/bench/results/README.md.
 *   pnpm bench              all of them
 *   pnpm bench anchoring    those whose path contains "anchoring"
 */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, relative } from "node:path";

const here = import.meta.dirname;
const filter = process.argv.slice(2);

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "results" || name === "node_modules") return [];
    if (statSync(path).isDirectory()) return find(path);
    return /\.bench\.ts$|\/sizes\.ts$/.test(path) ? [path] : [];
  });
}

const files = find(here)
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();
const sections: string[] = [];
for (const file of files) {
  const name = relative(here, file);
  process.stderr.write(`bench: ${name}\n`);
  const started = Date.now();
  try {
    const mod = (await import(file)) as {
      default?: () => Promise<string>;
      run?: () => Promise<string>;
    };
    const run = mod.default ?? mod.run;
    if (!run) throw new Error("no default export");
    sections.push(
      `## ${name}\n\n${(await run()).trim()}\n\n_(${((Date.now() - started) / 1000).toFixed(1)} s)_`,
    );
  } catch (e) {
    sections.push(`## ${name}\n\nFAILED: ${e instanceof Error ? e.stack : String(e)}`);
    process.exitCode = 1;
  }
}
const header = `# Benchmark results\n\n${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} · ${Math.round(totalmem() / 2 ** 30)} GiB\n\n`;
const out = join(
  here,
  "results",
  filter.length ? `README.${filter.join("-").replace(/[^\w-]/g, "_")}.md` : "README.md",
);
writeFileSync(out, `${header + sections.join("\n\n")}\n`);
process.stderr.write(`bench: wrote ${relative(process.cwd(), out)}\n`);
