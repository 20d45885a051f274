import { type ErrorCode, errorCodes } from "@margin/model";
import { type ReadonlySignal, signal } from "@preact/signals-core";
import { liveQuery } from "dexie";
import type { ApiClient, ApiFailure } from "./api-client.ts";
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { type MarginDb, type Scope, scopeKey } from "./db.ts";
import {
  applyPushResult,
  applyPushResults,
  cursorOf,
  deferBatch,
  mergePulled,
  type SentEntry,
  takeBatch,
  writeAcknowledged,
} from "./merge.ts";
import { realScheduler, type Scheduler } from "./scheduler.ts";

export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  /** Mutations in the outbox not yet acknowledged. */
  pending: number;
  lastSyncAt: number | null;
  lastError: ApiFailure | null;
  /** When the next automatic retry is due after a failure, or null. */
  nextRetryAt: number | null;
}

/** Whether the network is there, and a way to hear when it comes and goes. */
export interface Connectivity {
  isOnline(): boolean;
  /** Returns a disposer. */
  subscribe(onChange: (online: boolean) => void): () => void;
}

export interface SyncEngineOptions {
  db: MarginDb;
  api: Pick<ApiClient, "push" | "pull">;
  now?: () => number;
  /** [0, 1), for backoff jitter. */
  random?: () => number;
  scheduler?: Scheduler;
  connectivity?: Connectivity;
  /** Runs one sync cycle under a lock shared by tabs (see webLock); default: no lock. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Periodic sync while started (default 60 s). */
  intervalMs?: number;
  /** Mutations per push, at most MAX_BATCH (S2). */
  batchSize?: number;
  pullLimit?: number;
  backoff?: BackoffOptions;
}

export interface SyncOutcome {
  pushed: number;
  pulled: number;
  error: ApiFailure | null;
}

/**
 * The service's own limit (MAX_PUSH_MUTATIONS in @margin/model, not imported
 * here: it lives beside the schemas, which the widget's frame does without);
 * a test holds the two equal. Fewer round trips drain a long offline queue faster.
 */
export const MAX_BATCH = 500;

export const alwaysOnline: Connectivity = { isOnline: () => true, subscribe: () => () => {} };

/** Connectivity from a window: navigator.onLine and the online/offline events. */
export function browserConnectivity(win: Window): Connectivity {
  return {
    isOnline: () => win.navigator.onLine !== false,
    subscribe(onChange) {
      const on = () => onChange(true);
      const off = () => onChange(false);
      win.addEventListener("online", on);
      win.addEventListener("offline", off);
      return () => {
        win.removeEventListener("online", on);
        win.removeEventListener("offline", off);
      };
    },
  };
}

/** Serialises sync across tabs of one origin with the Web Locks API, when there is one. */
export function webLock(name: string, nav: Navigator | undefined = globalThis.navigator) {
  return <T>(fn: () => Promise<T>): Promise<T> =>
    nav?.locks ? (nav.locks.request(name, fn) as Promise<T>) : fn();
}

function asErrorCode(code: string): ErrorCode {
  return code in errorCodes ? (code as ErrorCode) : "bad_request";
}

/**
 * The sync engine: pushes the outbox in batches, pulls each watched scope from
 * its cursor, retries with backoff. Nothing happens until start() (or
 * syncNow()); start() returns a disposer.
 */
export function createSyncEngine(opts: SyncEngineOptions) {
  const { db, api } = opts;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const scheduler = opts.scheduler ?? realScheduler;
  const connectivity = opts.connectivity ?? alwaysOnline;
  const withLock = opts.withLock ?? (<T>(fn: () => Promise<T>) => fn());
  const intervalMs = opts.intervalMs ?? 60_000;
  const batchSize = Math.max(1, Math.min(MAX_BATCH, opts.batchSize ?? MAX_BATCH));
  const pullLimit = opts.pullLimit ?? 500;

  const status = signal<SyncStatus>({
    online: connectivity.isOnline(),
    syncing: false,
    pending: 0,
    lastSyncAt: null,
    lastError: null,
    nextRetryAt: null,
  });
  const update = (patch: Partial<SyncStatus>) => {
    status.value = { ...status.value, ...patch };
  };

  const scopes = new Map<string, { scope: Scope; count: number }>();
  let failures = 0;
  let retryTimer: unknown = null;
  let intervalTimer: unknown = null;
  let running: Promise<SyncOutcome> | null = null;
  let again: { force: boolean } | null = null;
  let disposed = false;
  const cleanups: Array<() => void> = [];

  function clearRetry() {
    if (retryTimer !== null) scheduler.clearTimeout(retryTimer);
    retryTimer = null;
  }

  /** S7: exponential backoff with full jitter, never sooner than Retry-After. */
  function scheduleRetry(error: ApiFailure): number {
    const delay = Math.max(error.retryAfterMs ?? 0, backoffDelay(failures, random, opts.backoff));
    failures++;
    clearRetry();
    const at = now() + delay;
    update({ nextRetryAt: at });
    if (!disposed) {
      retryTimer = scheduler.setTimeout(() => {
        retryTimer = null;
        void syncNow({ force: true });
      }, delay);
    }
    return at;
  }

  async function refreshPending() {
    update({ pending: await db.outbox.count() });
  }

  async function push(force: boolean): Promise<{
    pushed: number;
    error: ApiFailure | null;
    failed?: SentEntry[];
    deferred?: boolean;
  }> {
    let pushed = 0;
    const head = await db.outbox.orderBy("seq").first();
    if (!force && head && head.nextAttemptAt > now())
      return { pushed, error: null, deferred: true };
    let limit = batchSize;
    let batch = await takeBatch(db, { now: now(), limit, force });
    const send = (b: SentEntry[]) => api.push(b.map((e) => e.mutation));
    let sending = batch.length > 0 ? send(batch) : null;
    /** The next batch from the head (after a split, a rejection or a batch with no follower). */
    const restart = async (force: boolean) => {
      batch = await takeBatch(db, { now: now(), limit, force });
      sending = batch.length > 0 ? send(batch) : null;
    };
    while (sending && !disposed) {
      // While a batch is at the service the one after it is taken, and sent as soon as the
      // answer comes; that answer is applied while the next batch is at the service. The
      // service still sees the batches one after another, in order (S2, S4).
      const next =
        limit === batchSize
          ? await takeBatch(db, { now: now(), limit, force: true, behind: batch })
          : [];
      const res = await sending;
      sending = null;
      if (res.ok) {
        const byKey = new Map(res.value.results.map((r) => [r.key, r]));
        // S5: a mutation without a result is not acknowledged and stays in the outbox.
        const acknowledged = batch.flatMap((entry) => {
          const result = byKey.get(entry.key);
          return result ? [{ entry, result }] : [];
        });
        const answered = acknowledged.length;
        if (answered === batch.length && next.length > 0) sending = send(next);
        // One transaction and a handful of requests for the batch (a transaction per result
        // cost more than the push itself); observers of the store see the batch land at once.
        await applyPushResults(db, acknowledged, now());
        pushed += answered;
        if (answered < batch.length) {
          const error: ApiFailure = {
            kind: "invalid_response",
            status: res.status,
            code: "invalid_response",
            message: `push answered ${answered} of ${batch.length} mutations`,
            retryable: true,
            retryAfterMs: null,
          };
          return { pushed, error };
        }
        limit = batchSize;
        if (sending) batch = next;
        else await restart(true);
        continue;
      }
      // A batch taken ahead and never sent stays at the head of the outbox for the next try.
      const error = res.error;
      if (error.retryable) return { pushed, error, failed: batch };
      const wholeBatchProblem =
        error.status === 413 ||
        error.code === "validation_failed" ||
        error.code === "invalid_request";
      if (wholeBatchProblem && batch.length > 1) {
        // S2: too big or one bad mutation: halve until the culprit stands alone.
        limit = Math.ceil(batch.length / 2);
        await restart(true);
        continue;
      }
      const only = batch[0];
      if (wholeBatchProblem && only) {
        await applyPushResult(
          db,
          only,
          {
            key: only.key,
            status: "rejected",
            error: { code: asErrorCode(error.code), message: error.message },
          },
          now(),
        );
        limit = batchSize;
        await restart(true);
        continue;
      }
      return { pushed, error };
    }
    return { pushed, error: null };
  }

  async function pull(): Promise<{ pulled: number; error: ApiFailure | null }> {
    let pulled = 0;
    for (const [key, { scope }] of scopes) {
      let since = await cursorOf(db, key);
      let res = await api.pull(scope, since, pullLimit);
      for (let page = 0; page < 10_000 && !disposed; page++) {
        if (!res.ok) return { pulled, error: res.error };
        const { cursor, hasMore } = res.value;
        // The next page is fetched while this one is merged: pulling 10,000 comments into an
        // empty store took 3.9-4.2 s instead of 4.9 (Chromium, IndexedDB on disk).
        const next = hasMore && cursor > since ? api.pull(scope, cursor, pullLimit) : null;
        try {
          await mergePulled(db, key, res.value, now());
        } catch (e) {
          next?.catch(() => {});
          throw e;
        }
        pulled += res.value.annotations.length;
        if (!next) break;
        since = cursor;
        res = await next;
      }
    }
    return { pulled, error: null };
  }

  async function cycle(force: boolean): Promise<SyncOutcome> {
    if (!connectivity.isOnline()) {
      update({ online: false });
      return { pushed: 0, pulled: 0, error: null };
    }
    update({ syncing: true, online: true });
    try {
      return await withLock(async () => {
        const p = await push(force);
        let pulled = 0;
        let error = p.error;
        if (!error?.retryable) {
          const r = await pull();
          pulled = r.pulled;
          error = error ?? r.error;
        }
        if (error) {
          update({ lastError: error });
          if (error.retryable) {
            const at = scheduleRetry(error);
            if (p.failed) await deferBatch(db, p.failed, at);
          }
        } else if (!p.deferred) {
          failures = 0;
          clearRetry();
          update({ lastError: null, lastSyncAt: now(), nextRetryAt: null });
        }
        return { pushed: p.pushed, pulled, error };
      });
    } catch (e) {
      const error: ApiFailure = {
        kind: "invalid_response",
        status: 0,
        code: "invalid_response",
        message: e instanceof Error ? e.message : String(e),
        retryable: true,
        retryAfterMs: null,
      };
      update({ lastError: error });
      scheduleRetry(error);
      return { pushed: 0, pulled: 0, error };
    } finally {
      await refreshPending().catch(() => {});
      update({ syncing: false });
    }
  }

  /** Runs a cycle now (or right after the running one). `force` ignores backoff. */
  function syncNow(o: { force?: boolean } = {}): Promise<SyncOutcome> {
    if (disposed) return Promise.resolve({ pushed: 0, pulled: 0, error: null });
    if (running) {
      again = { force: Boolean(o.force) || Boolean(again?.force) };
      return running;
    }
    // Whoever asked while a cycle ran is answered after the cycle that served them, with what
    // every cycle of the run did: their changes may have gone in the first cycle or the last.
    const run = async (): Promise<SyncOutcome> => {
      const outcome = await cycle(Boolean(o.force));
      while (again && !disposed) {
        const next = again;
        again = null;
        const more = await cycle(next.force);
        outcome.pushed += more.pushed;
        outcome.pulled += more.pulled;
        outcome.error = more.error;
      }
      // After the drain, not in it: the rows read the same either way. Should it fail, the
      // records stay and the rows still read right; the next run writes them.
      await writeAcknowledged(db, () => disposed).catch(() => {});
      return outcome;
    };
    running = run().finally(() => {
      running = null;
    });
    return running;
  }

  /** Pulls this scope on every cycle from now on; returns a disposer. */
  function watch(scope: Scope): () => void {
    const key = scopeKey(scope);
    const entry = scopes.get(key);
    if (entry) entry.count++;
    else scopes.set(key, { scope, count: 1 });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const e = scopes.get(key);
      if (e && --e.count <= 0) scopes.delete(key);
    };
  }

  /** Listens for connectivity, syncs on a timer and when back online (S11). Returns a disposer. */
  function start(): () => void {
    if (disposed) return () => {};
    cleanups.push(
      connectivity.subscribe((online) => {
        update({ online });
        if (online) {
          failures = 0;
          void syncNow({ force: true });
        }
      }),
    );
    const sub = liveQuery(() => db.outbox.count()).subscribe({
      next: (pending) => update({ pending }),
      error: () => {},
    });
    cleanups.push(() => sub.unsubscribe());
    const tick = () => {
      intervalTimer = scheduler.setTimeout(() => {
        void syncNow();
        if (!disposed) tick();
      }, intervalMs);
    };
    tick();
    cleanups.push(() => {
      if (intervalTimer !== null) scheduler.clearTimeout(intervalTimer);
      intervalTimer = null;
    });
    void syncNow();
    return dispose;
  }

  function dispose() {
    disposed = true;
    clearRetry();
    for (const c of cleanups.splice(0)) c();
  }

  return {
    status: status as ReadonlySignal<SyncStatus>,
    start,
    watch,
    syncNow,
    dispose,
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
