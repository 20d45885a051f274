/**
 * The client half of the sync benchmark: queue comments offline, sync them,
 * then pull the consultation as a page watching it does. Run in Node over
 * fake-indexeddb, and bundled into Chromium where the outbox lives in a real
 * IndexedDB.
 */
import {
  type ApiClient,
  createApiClient,
  createMarginStore,
  createSyncEngine,
  type MarginDb,
  openMarginDb,
  zodChecks,
} from "@margin/store";

interface DrainArgs {
  baseUrl: string;
  token: string;
  consultationId: string;
  n: number;
}

/** A pull of the consultation into `db` by a new engine, as a page that watches it does. */
async function timedPull(db: MarginDb, api: ApiClient, o: DrainArgs) {
  const engine = createSyncEngine({ db, api });
  engine.watch({ consultation: o.consultationId });
  const t0 = performance.now();
  const r = await engine.syncNow();
  const ms = performance.now() - t0;
  engine.dispose();
  if (r.error) throw new Error(`pull failed: ${r.error.message}`);
  return { ms, rows: r.pulled };
}

/** The store's rows and records as IndexedDB holds them, read without the store's own reads. */
async function stored(name: string) {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const tx = idb.transaction(["annotations", "acknowledged"]);
  const all = <T>(store: string) =>
    new Promise<T[]>((resolve, reject) => {
      const r = tx.objectStore(store).getAll();
      r.onsuccess = () => resolve(r.result as T[]);
      r.onerror = () => reject(r.error);
    });
  const [rows, records] = await Promise.all([
    all<{ syncState: string; server: { revision: number } | null }>("annotations"),
    all<unknown>("acknowledged"),
  ]);
  idb.close();
  return { rows, records };
}

/** The same pages fetched and parsed, nothing stored: the service's part of a pull. */
async function servedPages(o: DrainArgs) {
  const t0 = performance.now();
  let since = 0;
  for (;;) {
    const res = await fetch(
      `${o.baseUrl}/v1/sync/pull?consultation=${o.consultationId}&since=${since}&limit=500`,
    );
    const page = (await res.json()) as { cursor: number; hasMore: boolean };
    if (!page.hasMore) break;
    since = page.cursor;
  }
  return performance.now() - t0;
}

export async function runDrain(o: DrainArgs) {
  const name = `bench-${Date.now()}`;
  const db = openMarginDb(name);
  const store = createMarginStore({ db, check: zodChecks });
  const q0 = performance.now();
  for (let i = 0; i < o.n; i++) {
    await store.create({
      consultationId: o.consultationId,
      target: {
        source: `${o.baseUrl}/c/${o.consultationId}`,
        selector: [
          { type: "TextQuoteSelector", exact: "勞動條件" },
          { type: "ParagraphSelector", key: `art-${1 + (i % 80)}.p1` },
        ],
      },
      text: `Comment ${i}: the working hours in this article should be reviewed for shift workers.`,
    });
  }
  const queuedMs = performance.now() - q0;
  const api = createApiClient({
    baseUrl: o.baseUrl,
    fetch: globalThis.fetch.bind(globalThis),
    getToken: () => o.token,
    check: zodChecks,
  });
  const engine = createSyncEngine({ db, api, batchSize: 500 });
  const t0 = performance.now();
  const stop = engine.start();
  // Drained as a person's screen learns it, from the engine's status (the outbox count it
  // watches), not by counting the outbox every 20 ms: a count walks the whole outbox in
  // Chromium's IndexedDB, work the bench alone would add.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("outbox did not drain in 5 minutes")), 300_000);
    const unsubscribe = engine.status.subscribe((s) => {
      if (s.lastError) reject(new Error(`sync failed: ${s.lastError.message}`));
      else if (s.pending > 0 || s.syncing || s.lastSyncAt === null) return;
      else resolve();
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
    });
  });
  const drainMs = performance.now() - t0;
  // New comments acknowledged in bulk are written to their rows after the drain (the screen
  // already shows them synced); the run that drained ends once they are.
  await engine.syncNow();
  const writtenMs = performance.now() - t0;
  stop();
  const left = await db.table("outbox").count();
  if (left > 0) throw new Error(`the engine said drained with ${left} mutations left`);
  // Read as stored, past the records: every row written out, synced with its service copy.
  const { rows, records } = await stored(name);
  const unwritten = rows.filter((r) => r.syncState !== "synced" || r.server?.revision !== 1);
  if (unwritten.length > 0 || records.length > 0)
    throw new Error(`${unwritten.length} rows not written out, ${records.length} records left`);
  // What follows in a person's browser, where the engine watches the page: the pull brings the
  // person's comments back (changed only where the service has folded them into points).
  const repull = await timedPull(db, api, o);
  // A first visit: everything in the consultation into an empty store.
  const visit = openMarginDb(`${name}-visit`);
  const firstVisit = await timedPull(visit, api, o);
  visit.close();
  db.close();
  const servedMs = await servedPages(o);
  return { queuedMs, drainMs, writtenMs, repull, firstVisit, servedMs };
}

if (typeof window !== "undefined")
  (window as unknown as { runDrain: typeof runDrain }).runDrain = runDrain;
