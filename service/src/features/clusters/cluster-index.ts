/**
 * Incremental near-duplicate / form-letter clustering of comments.
 *
 * A comment joins the cluster of the most similar *exemplar* it matches, or founds a new cluster
 * keyed by its own id. Candidates come from LSH band buckets (minhash.ts); every candidate is
 * verified on exact shingle sets, so LSH false positives never merge anything.
 *
 * The same pure functions (`computeFeatures`, `compareShingles`, `isSameGroup`, `chooseCluster`)
 * serve the in-memory `ClusterIndex` and an SQL-backed lookup (band hashes in a table, candidate
 * exemplars fetched by `(scope, band, hash)`): see README.md.
 */
import {
  createMinHasher,
  DEFAULT_MINHASH_PARAMS,
  estimateJaccard,
  type MinHasher,
  type MinHashParams,
} from "./minhash.ts";
import {
  fastFeatures,
  intersectionSize,
  normalizeText,
  shinglesOfNormalized,
  textKey,
} from "./text-features.ts";

export interface ClusterParams {
  /** Same group when the exact Jaccard similarity of the shingle sets reaches this. */
  jaccardThreshold: number;
  /**
   * Same group when the smaller text's shingles are at least this much contained in the larger's
   * (a form letter with a long personal paragraph added, or a cut-down version of the letter)...
   */
  containmentThreshold: number;
  /** ...and they share at least this many shingles (~words): quoting one sentence is not enough. */
  minSharedShingles: number;
  /**
   * A member this similar (Jaccard) to an exemplar is counted on that exemplar instead of becoming
   * an exemplar itself: keeps the LSH buckets small when a campaign has thousands of letters.
   */
  absorbJaccard: number;
  /** At most this many exemplars (indexed texts) per cluster. */
  maxExemplarsPerCluster: number;
  /** Cluster per paragraph ("paragraph") or across the whole consultation ("consultation"). */
  scope: "paragraph" | "consultation";
  minhash: MinHashParams;
}

export const DEFAULT_CLUSTER_PARAMS: Readonly<ClusterParams> = Object.freeze({
  jaccardThreshold: 0.5,
  containmentThreshold: 0.8,
  minSharedShingles: 50,
  absorbJaccard: 0.8,
  maxExemplarsPerCluster: 48,
  scope: "paragraph",
  minhash: { ...DEFAULT_MINHASH_PARAMS },
});

export interface CommentFeatures {
  /** 64-bit hash (hex) of the normalised text: equal for exact duplicates up to case/spacing. */
  key: string;
  /** Sorted unique shingle hashes. */
  shingles: Uint32Array;
  signature: Uint32Array;
  /** LSH band hashes (one per band). */
  bands: Uint32Array;
}

export function computeFeatures(text: string, hasher: MinHasher): CommentFeatures {
  const fast = fastFeatures(text);
  const normal = fast === null ? normalizeText(text) : "";
  const shingles = fast?.shingles ?? shinglesOfNormalized(normal);
  const signature = hasher.signature(shingles);
  const key = fast?.key ?? textKey(normal);
  return { key, shingles, signature, bands: hasher.bands(signature) };
}

export interface Similarity {
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|). */
  containment: number;
  shared: number;
}

export function compareShingles(a: Uint32Array, b: Uint32Array): Similarity {
  if (a.length === 0 || b.length === 0) {
    const same = a.length === b.length;
    return { jaccard: same ? 1 : 0, containment: same ? 1 : 0, shared: 0 };
  }
  const shared = intersectionSize(a, b);
  return {
    jaccard: shared / (a.length + b.length - shared),
    containment: shared / Math.min(a.length, b.length),
    shared,
  };
}

export function isSameGroup(sim: Similarity, params: ClusterParams): boolean {
  return (
    sim.jaccard >= params.jaccardThreshold ||
    (sim.containment >= params.containmentThreshold && sim.shared >= params.minSharedShingles)
  );
}

/**
 * Cheap pre-check from signatures before the exact comparison: could these two sets pass
 * `isSameGroup`? Generous margins (MinHash's standard error at 128 hashes is ≤ 0.045).
 */
export function mightBeSameGroup(
  a: { signature: Uint32Array; size: number },
  b: { signature: Uint32Array; size: number },
  params: ClusterParams,
): boolean {
  const j = estimateJaccard(a.signature, b.signature);
  if (j >= params.jaccardThreshold - 0.15) return true;
  const shared = (j * (a.size + b.size)) / (1 + j);
  return (
    shared / Math.max(1, Math.min(a.size, b.size)) >= params.containmentThreshold - 0.2 &&
    shared >= params.minSharedShingles * 0.7
  );
}

export interface Candidate {
  clusterId: string;
  exemplarId: string;
  shingles: Uint32Array;
  signature: Uint32Array;
}

export interface ClusterChoice {
  clusterId: string;
  exemplarId: string;
  similarity: Similarity;
  /** True when the new comment is near-identical to the exemplar (no need to index it). */
  absorbed: boolean;
}

/**
 * Picks the cluster a comment joins among candidate exemplars (from LSH buckets, in memory or in
 * SQL): the one with the highest exact Jaccard among those passing `isSameGroup`, ties to the
 * earlier candidate; pass candidates most band hits first, as a match at `absorbJaccard` ends the
 * search. Null: the comment founds a new cluster.
 */
export function chooseCluster(
  features: Pick<CommentFeatures, "shingles" | "signature">,
  candidates: Iterable<Candidate>,
  params: ClusterParams,
): ClusterChoice | null {
  let best: ClusterChoice | null = null;
  const me = { signature: features.signature, size: features.shingles.length };
  for (const c of candidates) {
    if (!mightBeSameGroup(me, { signature: c.signature, size: c.shingles.length }, params))
      continue;
    const sim = compareShingles(features.shingles, c.shingles);
    if (!isSameGroup(sim, params)) continue;
    if (best === null || sim.jaccard > best.similarity.jaccard)
      best = {
        clusterId: c.clusterId,
        exemplarId: c.exemplarId,
        similarity: sim,
        absorbed: sim.jaccard >= params.absorbJaccard,
      };
    // Candidates come most band hits first: past the absorb level, a later one would change which
    // exemplar counts the comment, almost never the cluster (same clusters on the bench's 100k).
    if (sim.jaccard >= params.absorbJaccard) break;
  }
  return best;
}

/** Candidates verified exactly per added comment, most band hits first. */
const MAX_VERIFY = 64;

export interface ClusterItem {
  id: string;
  text: string;
  paragraphKey: string | null;
}

interface Exemplar {
  id: string;
  text: string;
  key: string;
  clusterId: string;
  scope: string;
  shingles: Uint32Array;
  signature: Uint32Array;
  /** Members counted on this exemplar (itself included). */
  weight: number;
  /** Band hits in the current lookup, valid while `lookup` equals the index's lookup counter. */
  hits: number;
  lookup: number;
}

interface ClusterState {
  id: string;
  paragraphKey: string | null;
  members: string[];
  exemplars: Exemplar[];
}

/** A cluster as seen from outside the index. */
export interface Cluster {
  id: string;
  paragraphKey: string | null;
  size: number;
  members: readonly string[];
}

export interface ClusterIndexSnapshot {
  version: 1;
  params: ClusterParams;
  clusters: {
    id: string;
    paragraphKey: string | null;
    members: string[];
    exemplars: { id: string; weight: number; text: string }[];
  }[];
}

export interface Representative {
  id: string;
  text: string;
  /** Members near-identical to the representative (itself included). */
  weight: number;
}

export class ClusterIndex {
  readonly params: ClusterParams;
  readonly hasher: MinHasher;
  private readonly clusters = new Map<string, ClusterState>();
  private readonly assignment = new Map<string, string>();
  /** scope -> band hash -> exemplars whose band has that hash. */
  private readonly buckets = new Map<string, Map<number, Exemplar[]>>();
  /** scope + text key -> cluster id (exact duplicates up to case/spacing/punctuation). */
  private readonly exact = new Map<string, string>();
  private lookups = 0;

  constructor(params: Partial<ClusterParams> = {}) {
    this.params = {
      ...DEFAULT_CLUSTER_PARAMS,
      ...params,
      minhash: { ...DEFAULT_CLUSTER_PARAMS.minhash, ...params.minhash },
    };
    this.hasher = createMinHasher(this.params.minhash);
  }

  get size(): number {
    return this.assignment.size;
  }

  get clusterCount(): number {
    return this.clusters.size;
  }

  private scopeOf(paragraphKey: string | null): string {
    return this.params.scope === "paragraph" && paragraphKey !== null ? `p:${paragraphKey}` : "";
  }

  /** Adds a comment and returns the id of the cluster it joined or founded. Idempotent per id. */
  add(item: ClusterItem): string {
    const known = this.assignment.get(item.id);
    if (known !== undefined) return known;
    return this.addWithFeatures(item, computeFeatures(item.text, this.hasher));
  }

  /** Like `add`, with features computed elsewhere (e.g. in a worker thread) by the same hasher. */
  addWithFeatures(item: ClusterItem, features: CommentFeatures): string {
    const known = this.assignment.get(item.id);
    if (known !== undefined) return known;
    const scope = this.scopeOf(item.paragraphKey);
    const exactKey = `${scope}\u0000${features.key}`;
    const dup = this.exact.get(exactKey);
    if (dup !== undefined) {
      const cluster = this.clusters.get(dup) as ClusterState;
      cluster.members.push(item.id);
      this.assignment.set(item.id, dup);
      // count it on the exemplar with the same text, if it is one
      for (const e of cluster.exemplars)
        if (e.key === features.key) {
          e.weight++;
          break;
        }
      return dup;
    }

    let scopeBuckets = this.buckets.get(scope);
    if (scopeBuckets === undefined) {
      scopeBuckets = new Map();
      this.buckets.set(scope, scopeBuckets);
    }
    // Count band hits per exemplar; verify the most-hit first (more shared bands, more similar),
    // at most `maxVerify` of them, stopping at the first near-identical one.
    // Counters live on the exemplars (stamped with this lookup's number): a Map per lookup was
    // most of the time spent adding a comment to a large campaign.
    const lookup = ++this.lookups;
    const hit: Exemplar[] = [];
    for (const h of features.bands) {
      const list = scopeBuckets.get(h);
      if (list === undefined) continue;
      for (const e of list) {
        if (e.lookup !== lookup) {
          e.lookup = lookup;
          e.hits = 0;
          hit.push(e);
        }
        e.hits++;
      }
    }
    const ordered = hit.sort((x, y) => y.hits - x.hits);
    const candidates: Candidate[] = [];
    const byCandidate = new Map<Candidate, Exemplar>();
    for (let k = 0; k < ordered.length && k < MAX_VERIFY; k++) {
      const e = ordered[k] as Exemplar;
      const c: Candidate = {
        clusterId: e.clusterId,
        exemplarId: e.id,
        shingles: e.shingles,
        signature: e.signature,
      };
      candidates.push(c);
      byCandidate.set(c, e);
    }
    const choice = chooseCluster(features, candidates, this.params);

    let cluster: ClusterState;
    if (choice === null) {
      cluster = { id: item.id, paragraphKey: item.paragraphKey, members: [], exemplars: [] };
      this.clusters.set(cluster.id, cluster);
    } else {
      cluster = this.clusters.get(choice.clusterId) as ClusterState;
    }
    cluster.members.push(item.id);
    this.assignment.set(item.id, cluster.id);
    this.exact.set(exactKey, cluster.id);

    if (
      choice !== null &&
      (choice.absorbed || cluster.exemplars.length >= this.params.maxExemplarsPerCluster)
    ) {
      const e = [...byCandidate.entries()].find(([c]) => c.exemplarId === choice.exemplarId)?.[1];
      if (e !== undefined) e.weight++;
    } else {
      this.addExemplar(cluster, scope, item, features, scopeBuckets);
    }
    return cluster.id;
  }

  private addExemplar(
    cluster: ClusterState,
    scope: string,
    item: ClusterItem,
    features: CommentFeatures,
    scopeBuckets: Map<number, Exemplar[]>,
  ): void {
    const e: Exemplar = {
      id: item.id,
      text: item.text,
      key: features.key,
      clusterId: cluster.id,
      scope,
      shingles: features.shingles,
      signature: features.signature,
      weight: 1,
      hits: 0,
      lookup: 0,
    };
    cluster.exemplars.push(e);
    for (const h of features.bands) {
      const list = scopeBuckets.get(h);
      if (list === undefined) scopeBuckets.set(h, [e]);
      else list.push(e);
    }
  }

  /** Cluster id of a comment, if added. */
  clusterOf(id: string): string | undefined {
    return this.assignment.get(id);
  }

  /** comment id -> cluster id, in insertion order. */
  assignments(): Map<string, string> {
    return new Map(this.assignment);
  }

  getCluster(id: string): Cluster | undefined {
    const c = this.clusters.get(id);
    return (
      c && { id: c.id, paragraphKey: c.paragraphKey, size: c.members.length, members: c.members }
    );
  }

  /** Clusters, largest first (ties: oldest first). */
  clusterList(): Cluster[] {
    return [...this.clusters.values()]
      .map((c) => ({
        id: c.id,
        paragraphKey: c.paragraphKey,
        size: c.members.length,
        members: c.members as readonly string[],
      }))
      .sort((a, b) => b.size - a.size);
  }

  /**
   * The text to show officials for a cluster: the exemplar at the weighted centre of the cluster
   * (maximising the sum over exemplars of weight × Jaccard similarity), so the most common version
   * of a form letter wins over a personalised one.
   */
  representative(clusterId: string): Representative | undefined {
    const c = this.clusters.get(clusterId);
    if (c === undefined || c.exemplars.length === 0) return undefined;
    let best: Exemplar = c.exemplars[0] as Exemplar;
    let bestScore = -1;
    for (const e of c.exemplars) {
      let score = 0;
      for (const f of c.exemplars)
        score += f === e ? f.weight : f.weight * compareShingles(e.shingles, f.shingles).jaccard;
      if (score > bestScore) {
        best = e;
        bestScore = score;
      }
    }
    return { id: best.id, text: best.text, weight: best.weight };
  }

  /** Compact JSON-able state: members and exemplar texts (features are recomputed on load). */
  toJSON(): ClusterIndexSnapshot {
    return {
      version: 1,
      params: this.params,
      clusters: [...this.clusters.values()].map((c) => ({
        id: c.id,
        paragraphKey: c.paragraphKey,
        members: [...c.members],
        exemplars: c.exemplars.map((e) => ({ id: e.id, weight: e.weight, text: e.text })),
      })),
    };
  }

  static fromJSON(snapshot: ClusterIndexSnapshot): ClusterIndex {
    if (snapshot.version !== 1) throw new Error(`unknown snapshot version ${snapshot.version}`);
    const index = new ClusterIndex(snapshot.params);
    for (const s of snapshot.clusters) {
      const cluster: ClusterState = {
        id: s.id,
        paragraphKey: s.paragraphKey,
        members: [...s.members],
        exemplars: [],
      };
      index.clusters.set(cluster.id, cluster);
      for (const m of s.members) index.assignment.set(m, cluster.id);
      const scope = index.scopeOf(s.paragraphKey);
      let scopeBuckets = index.buckets.get(scope);
      if (scopeBuckets === undefined) {
        scopeBuckets = new Map();
        index.buckets.set(scope, scopeBuckets);
      }
      for (const e of s.exemplars) {
        const features = computeFeatures(e.text, index.hasher);
        index.exact.set(`${scope}\u0000${features.key}`, cluster.id);
        index.addExemplar(
          cluster,
          scope,
          { id: e.id, text: e.text, paragraphKey: s.paragraphKey },
          features,
          scopeBuckets,
        );
        (cluster.exemplars[cluster.exemplars.length - 1] as Exemplar).weight = e.weight;
      }
    }
    return index;
  }
}
