import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const widgetDist = join(import.meta.dirname, "..", "..", "widget", "dist");

/** The widget's parts, their budgets (KB, gzip -9) and Hypothesis's equivalent bundles. */
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
    // A frame loads its language's script only (widget/build.ts): the larger one counts.
    label: "sidebar (html + css + the larger language's js)",
    match: /^sidebar\./,
    oneOf: /^sidebar\.[\w-]+\.js$/,
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

/** Each part of the built widget: bytes as built and gzipped, beside its budget. */
export function measureWidget(dist = widgetDist) {
  const files = readdirSync(dist);
  return parts.map((p) => {
    let raw = 0;
    let gz = 0;
    let largest = { raw: 0, gz: 0 };
    for (const f of files.filter((n) => p.match.test(n))) {
      const body = readFileSync(join(dist, f));
      const size = { raw: body.length, gz: gzipSync(body, { level: 9 }).length };
      if ("oneOf" in p && p.oneOf?.test(f)) {
        if (size.gz > largest.gz) largest = size;
        continue;
      }
      raw += size.raw;
      gz += size.gz;
    }
    return { ...p, raw: raw + largest.raw, gz: gz + largest.gz };
  });
}
