/**
 * The client half of the sync benchmark: queue comments offline, then sync
 * them. Run in Node over fake-indexeddb, and bundled into Chromium where the
 * outbox lives in a real IndexedDB.
 */
import {
  createApiClient,
  createMarginStore,
  createSyncEngine,
  openMarginDb,
  zodChecks,
} from "@margin/store";

export async function runDrain(o: {
  baseUrl: string;
  token: string;
  consultationId: string;
  n: number;
}) {
  const db = openMarginDb(`bench-${Date.now()}`);
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
  stop();
  const left = await db.table("outbox").count();
  if (left > 0) throw new Error(`the engine said drained with ${left} mutations left`);
  return { queuedMs, drainMs };
}

if (typeof window !== "undefined")
  (window as unknown as { runDrain: typeof runDrain }).runDrain = runDrain;
