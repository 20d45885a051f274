/**
 * Natural batching for statements many requests make at once (resolving a
 * session, counting a write against its limits, storing a new comment).
 *
 * Each round trip to PostgreSQL costs far more than one row in it (a commit
 * waits for the WAL to reach disk; every socket write wakes another process on
 * a machine with few cores). So items given while a batch is on its way are
 * gathered and sent together as soon as it returns: one request alone waits
 * for nothing, and under load the batches grow by themselves. Nothing is
 * delayed by a timer; the only wait is for the batch already in flight.
 *
 * `run` answers one result per item, in order; expected failures belong in
 * those results. `run` must be all or nothing (one statement), as a batch
 * that throws is tried again item by item, so that an item that breaks the
 * statement fails alone instead of failing everyone sent with it.
 */
export interface BatcherOptions {
  /** Largest batch handed to `run`. */
  maxBatch: number;
  /** Batches on their way at once (each holds a pooled connection). */
  maxInFlight: number;
}

export type Batched<I, O> = (item: I) => Promise<O>;

export function batcher<I, O>(
  run: (items: I[]) => Promise<O[]>,
  opts: BatcherOptions,
): Batched<I, O> {
  let queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  const attempt = async (batch: typeof queue) => {
    const results = await run(batch.map((b) => b.item));
    if (results.length !== batch.length)
      throw new Error(`a batch of ${batch.length} got ${results.length} results`);
    for (const [i, b] of batch.entries()) b.resolve(results[i] as O);
  };
  const send = async (batch: typeof queue) => {
    try {
      await attempt(batch);
    } catch (e) {
      if (batch.length === 1) batch[0]?.reject(e);
      else await Promise.all(batch.map((b) => attempt([b]).catch(b.reject)));
    } finally {
      inFlight--;
      flush();
    }
  };

  function flush() {
    scheduled = false;
    while (inFlight < opts.maxInFlight && queue.length > 0) {
      const batch = queue.slice(0, opts.maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      void send(batch);
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // After the current turn of the event loop, so requests that arrived
      // together (and every promise they are still settling) join one batch.
      if (!scheduled && inFlight < opts.maxInFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/** One of `make(db)` per database handle, made on first use (so per app, per test database). */
export function perDb<D extends object, T>(make: (db: D) => T): (db: D) => T {
  const made = new WeakMap<D, T>();
  return (db) => {
    let t = made.get(db);
    if (t === undefined) {
      t = make(db);
      made.set(db, t);
    }
    return t;
  };
}
