/**
 * Clustering throughput: the incremental MinHash/LSH index on 100,000 comments synthesised from the
 * 647 real CMS-2022-0163 comments (sampled and mutated: words replaced or dropped, sentences
 * removed, personal lines and signatures added), beside the peer: naive all-pairs exact Jaccard
 * (each comment compared with every earlier one, same decision rule) on a 2,000-comment subset.
 *
 * Run: npx tsx tests/bench/clusters/clusters.bench.ts  (writes tests/bench/results/clusters.md)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ClusterIndex,
  type ClusterItem,
  compareShingles,
  DEFAULT_CLUSTER_PARAMS,
  isSameGroup,
} from "../../../service/src/features/clusters/cluster-index.ts";
import { loadCmsComments } from "../../../service/src/features/clusters/test-fixtures.ts";
import { htmlToText, shingles } from "../../../service/src/features/clusters/text-features.ts";

const TOTAL = 100_000;
const CHUNK = 5_000;
const PEER_SUBSET = 2_000;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ["Mary Smith", "John Lee", "A. Garcia", "Dr. Chen", "Pat O'Neil", "Sam Patel"];
const PERSONAL = [
  "I am a nurse and I see this every day.",
  "As a mother of three daughters this matters to me.",
  "Please listen to the people who use these services.",
  "My family lives in a rural county with one clinic.",
  "This is my second comment on this notice.",
];
const WORDS = ["really", "very", "truly", "patients", "people", "directory", "data", "clearly"];

/** A mutated copy of a real comment: the synthetic stream's members. */
function mutate(text: string, rand: () => number): string {
  let sentences = text.split(/(?<=[.!?])\s+/);
  if (sentences.length > 3 && rand() < 0.3)
    sentences = sentences.filter((_, i) => i === 0 || rand() > 0.1); // drop ~10% of sentences
  let words = sentences.join(" ").split(" ");
  const edits = Math.floor(rand() * 4);
  for (let e = 0; e < edits && words.length > 0; e++) {
    const i = Math.floor(rand() * words.length);
    if (rand() < 0.5) words[i] = WORDS[Math.floor(rand() * WORDS.length)] as string;
    else words = [...words.slice(0, i), ...words.slice(i + 1)];
  }
  let out = words.join(" ");
  if (rand() < 0.4) out = `${PERSONAL[Math.floor(rand() * PERSONAL.length)]}\n\n${out}`;
  if (rand() < 0.5) out = `${out}\n\nSincerely,\n${NAMES[Math.floor(rand() * NAMES.length)]}`;
  return out;
}

function* synthesize(
  bases: readonly string[],
  count: number,
  seed: number,
): Generator<ClusterItem> {
  const rand = prng(seed);
  for (let i = 0; i < count; i++) {
    const base = bases[Math.floor(rand() * bases.length)] as string;
    yield { id: `s${i}`, text: rand() < 0.15 ? base : mutate(base, rand), paragraphKey: null };
  }
}

/** The peer: every comment compared exactly with every earlier one; joins the best match. */
function naiveAllPairs(items: readonly ClusterItem[]): Map<string, string> {
  const seen: { id: string; cluster: string; set: Uint32Array }[] = [];
  const out = new Map<string, string>();
  for (const item of items) {
    const set = shingles(item.text);
    let best: { cluster: string; j: number } | null = null;
    for (const s of seen) {
      const sim = compareShingles(set, s.set);
      if (isSameGroup(sim, DEFAULT_CLUSTER_PARAMS) && (best === null || sim.jaccard > best.j))
        best = { cluster: s.cluster, j: sim.jaccard };
    }
    const cluster = best?.cluster ?? item.id;
    seen.push({ id: item.id, cluster, set });
    out.set(item.id, cluster);
  }
  return out;
}

/** Pairwise agreement (Rand index) between two partitions of the same items. */
function randIndex(a: Map<string, string>, b: Map<string, string>): number {
  const ids = [...a.keys()];
  let agree = 0;
  let total = 0;
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const x = ids[i] as string;
      const y = ids[j] as string;
      if ((a.get(x) === a.get(y)) === (b.get(x) === b.get(y))) agree++;
      total++;
    }
  return total === 0 ? 1 : agree / total;
}

export default async function run(): Promise<string> {
  const bases = loadCmsComments()
    .map((c) => htmlToText(c.comment))
    .filter((t) => t.length > 0);

  // warm-up (JIT) on a separate stream
  const warm = new ClusterIndex();
  for (const item of synthesize(bases, 3_000, 99)) warm.add(item);

  const index = new ClusterIndex();
  let addMs = 0;
  let chars = 0;
  const gen = synthesize(bases, TOTAL, 1);
  for (let done = 0; done < TOTAL; done += CHUNK) {
    const chunk: ClusterItem[] = [];
    for (let i = 0; i < CHUNK; i++) {
      const next = gen.next();
      if (next.done) break;
      chunk.push(next.value);
      chars += next.value.text.length;
    }
    const t0 = performance.now();
    for (const item of chunk) index.add(item);
    addMs += performance.now() - t0;
  }
  const rate = TOTAL / (addMs / 1000);
  const snapshotChars = JSON.stringify(index.toJSON()).length;

  // peer on a subset, and the index on the same subset for agreement and speed
  const subset = [...synthesize(bases, PEER_SUBSET, 7)];
  let t0 = performance.now();
  const naive = naiveAllPairs(subset);
  const naiveMs = performance.now() - t0;
  const small = new ClusterIndex();
  t0 = performance.now();
  for (const item of subset) small.add(item);
  const smallMs = performance.now() - t0;
  const agreement = randIndex(naive, small.assignments());
  const naiveClusters = new Set(naive.values()).size;

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const md = [
    "# Clustering throughput (service/src/features/clusters)",
    "",
    `Measured ${new Date().toISOString()} on ${cpus().length} × ${cpu}, Node ${process.version}, one thread.`,
    "Comments synthesised from the 647 CMS-2022-0163 comments (15% verbatim copies, the rest mutated:",
    "words replaced/dropped, sentences dropped, personal lines and signatures added);",
    `average ${Math.round(chars / TOTAL)} characters. Time counts \`ClusterIndex.add\` only`,
    "(normalise, shingle, MinHash, LSH lookup, exact verification, indexing), not text generation.",
    "",
    "| method | comments | time | comments/s | clusters |",
    "|---|---:|---:|---:|---:|",
    `| MinHash/LSH incremental index (128 hashes, 64×2 bands) | ${TOTAL.toLocaleString("en")} | ${(addMs / 1000).toFixed(2)} s | **${Math.round(rate).toLocaleString("en")}** | ${index.clusterCount.toLocaleString("en")} |`,
    `| MinHash/LSH incremental index, subset | ${PEER_SUBSET.toLocaleString("en")} | ${(smallMs / 1000).toFixed(2)} s | ${Math.round(PEER_SUBSET / (smallMs / 1000)).toLocaleString("en")} | ${small.clusterCount} |`,
    `| peer: naive all-pairs exact Jaccard, same rule | ${PEER_SUBSET.toLocaleString("en")} | ${(naiveMs / 1000).toFixed(2)} s | ${Math.round(PEER_SUBSET / (naiveMs / 1000)).toLocaleString("en")} | ${naiveClusters} |`,
    "",
    `Agreement of the index with the all-pairs peer on the subset (Rand index): ${(agreement * 100).toFixed(3)}%.`,
    `Target ≥ 5,000 comments/s: ${rate >= 5000 ? "met" : "NOT met"}.`,
    `Snapshot (toJSON) of the 100,000-comment index: ${(snapshotChars / 1e6).toFixed(1)} MB of JSON.`,
    "The all-pairs peer is quadratic: at 100,000 comments it would do ~5·10⁹ set comparisons.",
    "",
  ].join("\n");
  const out = fileURLToPath(new URL("../results/clusters.md", import.meta.url));
  mkdirSync(fileURLToPath(new URL("../results/", import.meta.url)), { recursive: true });
  writeFileSync(out, md);
  return md;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then((md) => console.log(md));
}
