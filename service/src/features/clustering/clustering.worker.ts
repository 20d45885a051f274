import { type Kysely, sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";
import {
  type Candidate,
  type ClusterParams,
  chooseCluster,
  compareShingles,
  computeFeatures,
  createMinHasher,
  DEFAULT_CLUSTER_PARAMS,
  decodeUint32,
  encodeUint32,
  toInt32,
} from "../clusters/index.ts";
import { agencyWithWebhook, queueWebhook } from "../notifications/notifications.ts";

/**
 * Clustering runs in the process that answers requests: every loop over
 * comments or exemplars lets the event loop serve what is waiting once it has
 * held it this long. Unbroken, a round of a thousand comments against ten
 * thousand stored exemplars held every request for up to half a second, which
 * made that the slowest answer of a deadline rush.
 */
const SLICE_MS = 4;

/** `await pause()` in a loop: returns at once until the slice is used up, then yields one turn. */
function timeSlicer(sliceMs = SLICE_MS) {
  let since = performance.now();
  return (): Promise<void> | undefined => {
    if (performance.now() - since < sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/** How many exemplars sharing band hashes with a comment are verified exactly, most-shared first. */
const MAX_VERIFY = 64;

interface Exemplar {
  id: string;
  clusterId: string;
  scope: string;
  key: string;
  shingles: Uint32Array;
  signature: Uint32Array;
  weight: number;
  isNew: boolean;
  bands?: Uint32Array;
}

interface Pending {
  id: string;
  consultation_id: string;
  paragraph_key: string | null;
  text: string;
}

const defaultHasher = createMinHasher(DEFAULT_CLUSTER_PARAMS.minhash);
const hasherFor = (params: ClusterParams) =>
  params === DEFAULT_CLUSTER_PARAMS ? defaultHasher : createMinHasher(params.minhash);

/** The cluster a computed cluster ends up in after officials' merges (followed through chains). */
export async function mergeTargets(db: Kysely<Database>, consultationId: string) {
  const merges = await db
    .selectFrom("cluster_overrides")
    .select(["from_cluster", "into_cluster"])
    .where("consultation_id", "=", consultationId)
    .where("kind", "=", "merge")
    .orderBy("id")
    .execute();
  const into = new Map<string, string>();
  for (const m of merges)
    if (m.from_cluster && m.into_cluster) into.set(m.from_cluster, m.into_cluster);
  return (clusterId: string) => {
    let at = clusterId;
    for (let hops = 0; hops < 1000 && into.has(at); hops++) at = into.get(at) as string;
    return at;
  };
}

interface Probe {
  scope: string;
  band: number;
  hash: number;
}
interface Exact {
  scope: string;
  key: string;
}
interface StoredExemplar {
  annotation_id: string;
  cluster_id: string;
  scope: string;
  text_key: string;
  shingles: string;
  signature: string;
  weight: number;
}

/** Band probes per statement when looking up stored exemplars (a few hundred KB of JSON). */
const PROBES_PER_STATEMENT = 4000;

/** Stored exemplars of a consultation that share a band, or the exact text, with a probe. */
async function exemplarsSharing(
  tx: Kysely<Database>,
  consultationId: string,
  probes: Probe[],
  exact: Exact[],
): Promise<StoredExemplar[]> {
  const { rows } = await sql<StoredExemplar>`
    with probe as (
      select * from jsonb_to_recordset(${jsonb(probes)}) as q(scope text, band smallint, hash int)
    ),
    exact as (
      select * from jsonb_to_recordset(${jsonb(exact)}) as k(scope text, key text)
    ),
    found as (
      select b.exemplar_id as id
        from probe q
        join cluster_bands b on b.consultation_id = ${consultationId} and b.scope = q.scope
                            and b.band = q.band and b.hash = q.hash
      union
      select e.annotation_id
        from exact k
        join cluster_exemplars e on e.consultation_id = ${consultationId} and e.scope = k.scope
                                and e.text_key = k.key
    )
    select e.annotation_id, e.cluster_id, e.scope, e.text_key, e.shingles, e.signature, e.weight
      from found join cluster_exemplars e on e.annotation_id = found.id`.execute(tx);
  return rows;
}

/**
 * Folds one consultation's new comments into points, in the caller's
 * transaction. Candidates come from LSH band hashes stored in SQL; each is
 * verified on exact shingle sets (the pure functions in ../clusters).
 */
async function clusterConsultation(
  tx: Kysely<Database>,
  consultationId: string,
  items: Pending[],
  params: ClusterParams,
  publicUrl: string,
) {
  const hasher = hasherFor(params);
  const scopeOf = (key: string | null) =>
    params.scope === "paragraph" && key !== null ? `p:${key}` : "";
  const pause = timeSlicer();
  const features: { item: Pending; scope: string; f: ReturnType<typeof computeFeatures> }[] = [];
  for (const it of items) {
    await pause();
    features.push({
      item: it,
      scope: scopeOf(it.paragraph_key),
      f: computeFeatures(it.text, hasher),
    });
  }

  // Load every stored exemplar of the same scope that shares a band (or the exact text) with a
  // new comment. Each (scope, band, hash) is one probe of cluster_bands_lookup: matching hashes
  // alone would read every band row of the consultation, and that table grows by 64 rows per
  // exemplar. (A band's hash mixes in its index, so a shared hash is a shared band anyway.)
  const probesByScope = new Map<
    string,
    { probes: Map<number, Probe>; exact: Map<string, Exact> }
  >();
  for (const x of features) {
    await pause();
    let forScope = probesByScope.get(x.scope);
    if (!forScope) {
      forScope = { probes: new Map(), exact: new Map() };
      probesByScope.set(x.scope, forScope);
    }
    forScope.exact.set(x.f.key, { scope: x.scope, key: x.f.key });
    for (let band = 0; band < x.f.bands.length; band++) {
      const h = x.f.bands[band] as number;
      // band and unsigned hash in one exact number (below 2^53): no string per probe
      forScope.probes.set(band * 2 ** 32 + h, { scope: x.scope, band, hash: toInt32(h) });
    }
  }
  // A thousand comments make tens of thousands of probes: one statement for all of them meant
  // encoding megabytes of JSON in one go. Whole scopes per statement, so no exemplar comes twice.
  const stored: StoredExemplar[] = [];
  let probes: Probe[] = [];
  let exactKeys: Exact[] = [];
  const scopes = [...probesByScope.values()];
  for (const [i, forScope] of scopes.entries()) {
    // Not push(...spread): one scope can hold 64,000 probes, near the engine's argument limit.
    for (const p of forScope.probes.values()) probes.push(p);
    for (const k of forScope.exact.values()) exactKeys.push(k);
    if (probes.length < PROBES_PER_STATEMENT && i < scopes.length - 1) continue;
    for (const r of await exemplarsSharing(tx, consultationId, probes, exactKeys)) stored.push(r);
    probes = [];
    exactKeys = [];
  }

  // Per scope, band hash -> exemplars: no string key is built per band (that was most of the
  // cost of indexing thousands of stored exemplars).
  const buckets = new Map<string, Map<number, Exemplar[]>>();
  const bucketsOf = (scope: string) => {
    let m = buckets.get(scope);
    if (!m) {
      m = new Map();
      buckets.set(scope, m);
    }
    return m;
  };
  const exact = new Map<string, Exemplar>(); // scope + text key
  const exemplarCount = new Map<string, number>();
  const index = (e: Exemplar, bands: Uint32Array) => {
    const inScope = bucketsOf(e.scope);
    for (const h of bands) {
      const list = inScope.get(h);
      if (list) list.push(e);
      else inScope.set(h, [e]);
    }
    exact.set(`${e.scope}\u0000${e.key}`, e);
    exemplarCount.set(e.clusterId, (exemplarCount.get(e.clusterId) ?? 0) + 1);
  };
  for (const r of stored) {
    await pause();
    const signature = decodeUint32(r.signature);
    const e: Exemplar = {
      id: r.annotation_id,
      clusterId: r.cluster_id,
      scope: r.scope,
      key: r.text_key,
      shingles: decodeUint32(r.shingles),
      signature,
      weight: r.weight,
      isNew: false,
    };
    index(e, hasher.bands(signature));
  }
  if (stored.length) {
    const counts = await tx
      .selectFrom("cluster_exemplars")
      .select(["cluster_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("cluster_id", "in", [...new Set(stored.map((r) => r.cluster_id))])
      .groupBy("cluster_id")
      .execute();
    for (const c of counts) exemplarCount.set(c.cluster_id, Number(c.n));
  }

  const assigned: { id: string; cluster: string }[] = [];
  const newClusters: { id: string; paragraph_key: string | null }[] = [];
  const weightBumps = new Map<Exemplar, number>();
  const newExemplars: Exemplar[] = [];

  for (const { item, scope, f } of features) {
    await pause();
    const dup = exact.get(`${scope}\u0000${f.key}`);
    if (dup) {
      assigned.push({ id: item.id, cluster: dup.clusterId });
      weightBumps.set(dup, (weightBumps.get(dup) ?? 0) + 1);
      continue;
    }
    const hits = new Map<Exemplar, number>();
    const inScope = buckets.get(scope);
    for (const h of f.bands)
      for (const e of inScope?.get(h) ?? []) hits.set(e, (hits.get(e) ?? 0) + 1);
    const ordered = [...hits].sort((x, y) => y[1] - x[1]).slice(0, MAX_VERIFY);
    const candidates: Candidate[] = ordered.map(([e]) => ({
      clusterId: e.clusterId,
      exemplarId: e.id,
      shingles: e.shingles,
      signature: e.signature,
    }));
    const choice = chooseCluster(f, candidates, params);
    const clusterId = choice?.clusterId ?? item.id;
    if (!choice) newClusters.push({ id: item.id, paragraph_key: item.paragraph_key });
    assigned.push({ id: item.id, cluster: clusterId });
    const full = (exemplarCount.get(clusterId) ?? 0) >= params.maxExemplarsPerCluster;
    if (choice && (choice.absorbed || full)) {
      const e = ordered.find(([x]) => x.id === choice.exemplarId)?.[0];
      if (e) weightBumps.set(e, (weightBumps.get(e) ?? 0) + 1);
    } else {
      const e: Exemplar = {
        id: item.id,
        clusterId,
        scope,
        key: f.key,
        shingles: f.shingles,
        signature: f.signature,
        weight: 1,
        isNew: true,
        bands: f.bands,
      };
      index(e, f.bands);
      newExemplars.push(e);
    }
  }

  // Write it all back in a handful of statements.
  if (newClusters.length) {
    await tx
      .insertInto("clusters")
      .values(
        newClusters.map((c) => ({
          id: c.id,
          consultation_id: consultationId,
          paragraph_key: c.paragraph_key,
          representative_id: c.id,
          size: 0,
        })),
      )
      .execute();
    const agencyId = await agencyWithWebhook(tx, consultationId);
    const texts = new Map(items.map((it) => [it.id, it.text]));
    for (const c of agencyId ? newClusters : []) {
      const url = `${publicUrl}/c/${consultationId}/answers`;
      const text = (texts.get(c.id) ?? "").slice(0, 500);
      const event = {
        type: "point.created" as const,
        consultationId,
        pointId: c.id,
        paragraphKey: c.paragraph_key,
        text,
        url,
      };
      await queueWebhook(tx, agencyId as string, event, `point:${c.id}`);
    }
  }
  // One JSON parameter per statement: binding five parameters per band row (64 rows per
  // exemplar) cost more than the clustering itself.
  for (let i = 0; i < newExemplars.length; i += 1000) {
    const chunk = newExemplars.slice(i, i + 1000).map((e) => ({
      id: e.id,
      scope: e.scope,
      cluster_id: e.clusterId,
      text_key: e.key,
      shingles: encodeUint32(e.shingles),
      signature: encodeUint32(e.signature),
      weight: e.weight + (weightBumps.get(e) ?? 0),
      bands: [...(e.bands as Uint32Array)].map(toInt32),
    }));
    await sql`
      with e as (
        select * from jsonb_to_recordset(${jsonb(chunk)}) as e(id uuid, scope text, cluster_id uuid,
               text_key text, shingles text, signature text, weight int, bands int[])
      ),
      exemplars as (
        insert into cluster_exemplars (annotation_id, consultation_id, scope, cluster_id, text_key,
                                       shingles, signature, weight)
        select id, ${consultationId}, scope, cluster_id, text_key, shingles, signature, weight from e
      )
      insert into cluster_bands (consultation_id, scope, band, hash, exemplar_id)
      select ${consultationId}, e.scope, b.ord - 1, b.hash, e.id
        from e cross join unnest(e.bands) with ordinality as b(hash, ord)`.execute(tx);
  }
  const storedBumps = [...weightBumps].filter(([e]) => !e.isNew).map(([e, n]) => ({ id: e.id, n }));
  if (storedBumps.length) {
    await sql`update cluster_exemplars set weight = weight + v.n
                from jsonb_to_recordset(${jsonb(storedBumps)}) as v(id uuid, n int)
               where cluster_exemplars.annotation_id = v.id`.execute(tx);
  }
  const effective = await mergeTargets(tx, consultationId);
  const rows = assigned.map((a) => ({ id: a.id, c: a.cluster, e: effective(a.cluster) }));
  await sql`update annotations set computed_cluster_id = v.c, cluster_id = v.e
              from jsonb_to_recordset(${jsonb(rows)}) as v(id uuid, c uuid, e uuid)
             where annotations.id = v.id`.execute(tx);
  await refreshClusters(tx, [...new Set(rows.map((r) => r.e))], params);
}

/**
 * Recounts points and picks each one's representative: the exemplar at the
 * weighted centre, so the most common wording of a form letter is shown.
 */
export async function refreshClusters(
  tx: Kysely<Database>,
  clusterIds: string[],
  params: ClusterParams = DEFAULT_CLUSTER_PARAMS,
) {
  if (clusterIds.length === 0) return;
  // The consultation in the count lets it use annotations_cluster (which leads with it).
  await sql`update clusters set size = coalesce(m.n, 0), updated_at = now()
              from (select k.id, (select count(*) from annotations a
                                   where a.consultation_id = k.consultation_id and a.cluster_id = k.id
                                     and a.status = 'visible' and a.parent_id is null)::int as n
                      from clusters k where k.id = any(${clusterIds}::uuid[])) m
             where clusters.id = m.id`.execute(tx);
  const exemplars = await sql<{
    annotation_id: string;
    cluster_id: string;
    shingles: string;
    weight: number;
  }>`
    select e.annotation_id, a.cluster_id, e.shingles, e.weight
      from cluster_exemplars e join annotations a on a.id = e.annotation_id
     where a.cluster_id = any(${clusterIds}::uuid[]) and a.status = 'visible'`.execute(tx);
  const pause = timeSlicer();
  const byCluster = new Map<string, { id: string; shingles: Uint32Array; weight: number }[]>();
  for (const e of exemplars.rows) {
    await pause();
    const list = byCluster.get(e.cluster_id) ?? [];
    list.push({ id: e.annotation_id, shingles: decodeUint32(e.shingles), weight: e.weight });
    byCluster.set(e.cluster_id, list);
  }
  const reps: { id: string; rep: string }[] = [];
  for (const [clusterId, list] of byCluster) {
    let best = list[0];
    let bestScore = -1;
    for (const e of list.slice(0, params.maxExemplarsPerCluster * 2)) {
      await pause();
      let score = 0;
      for (const f of list)
        score += f === e ? f.weight : f.weight * compareShingles(e.shingles, f.shingles).jaccard;
      if (score > bestScore) {
        best = e;
        bestScore = score;
      }
    }
    if (best) reps.push({ id: clusterId, rep: best.id });
  }
  if (reps.length) {
    await sql`update clusters set representative_id = v.rep
                from jsonb_to_recordset(${jsonb(reps)}) as v(id uuid, rep uuid)
               where clusters.id = v.id`.execute(tx);
  }
}

/**
 * Claims up to `limit` unclustered comments (skipping rows another instance
 * holds) and folds them into points. Each consultation is clustered under its
 * own advisory lock, so two instances never race to found the same point twice.
 * Returns how many comments were clustered.
 */
export async function clusterPending(
  db: Kysely<Database>,
  opts: { limit?: number; params?: ClusterParams; publicUrl?: string } = {},
): Promise<number> {
  const params = opts.params ?? DEFAULT_CLUSTER_PARAMS;
  return db.transaction().execute(async (tx) => {
    const claimed = await tx
      .selectFrom("annotations")
      .select(["id", "consultation_id", "paragraph_key", "text"])
      .where("computed_cluster_id", "is", null)
      .where("parent_id", "is", null)
      .where("consultation_id", "is not", null)
      .where("status", "=", "visible")
      .orderBy("id")
      .limit(opts.limit ?? 1000)
      .forUpdate()
      .skipLocked()
      .execute();
    const byConsultation = new Map<string, Pending[]>();
    for (const r of claimed) {
      const list = byConsultation.get(r.consultation_id as string) ?? [];
      list.push(r as Pending);
      byConsultation.set(r.consultation_id as string, list);
    }
    for (const [consultationId, items] of [...byConsultation].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      await sql`select pg_advisory_xact_lock(hashtext(${`cluster:${consultationId}`}))`.execute(tx);
      await clusterConsultation(tx, consultationId, items, params, opts.publicUrl ?? "");
    }
    return claimed.length;
  });
}

/** Clusters until nothing is pending. */
export async function clusterAll(
  db: Kysely<Database>,
  opts: { limit?: number; params?: ClusterParams; publicUrl?: string } = {},
) {
  let total = 0;
  for (;;) {
    const n = await clusterPending(db, opts);
    total += n;
    if (n < (opts.limit ?? 1000)) return total;
  }
}
