import { performance } from "node:perf_hooks";

export interface QuietOptions {
  /** Busy above this share of the event loop's time (0..1). */
  threshold: number;
  /** Length of one look at the event loop. */
  probeMs: number;
  /** Never waits longer than this, so background work is slowed, not starved. */
  maxWaitMs: number;
  /** Stop waiting at once (the service is stopping). */
  cancelled?: () => boolean;
  /**
   * When this instance last took a write (performance.now() ms), and how long
   * after it counts as quiet. A client draining its outbox leaves the loop idle
   * between pushes while it works on the answer; clustering in those gaps
   * doubled the time to drain 10,000 comments.
   */
  lastWriteAt?: () => number;
  writeGapMs?: number;
  /** The clock lastWriteAt is read against; performance.now() by default. */
  now?: () => number;
  /** Share of the loop's time spent busy during `ms` from now; the real loop by default. */
  busyDuring?: (ms: number) => Promise<number>;
}

/** The event loop's utilisation over the next `ms`. */
export async function loopBusyDuring(ms: number): Promise<number> {
  const start = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, ms));
  return performance.eventLoopUtilization(start).utilization;
}

export interface QuietWait {
  waitedMs: number;
  /** false when `maxWaitMs` ran out (or the wait was cancelled) with the service still busy. */
  quiet: boolean;
}

/**
 * Waits until the event loop has been quiet for one probe (or `maxWaitMs`
 * passed). Background work in the process that answers requests (clustering)
 * calls it between rounds, so during a rush of writes it takes only the time
 * the requests leave, and catches up at full speed once the rush is over.
 */
export async function untilQuiet(o: QuietOptions): Promise<QuietWait> {
  const busyDuring = o.busyDuring ?? loopBusyDuring;
  let waited = 0;
  const now = o.now ?? (() => performance.now());
  const sinceWrite = () => now() - (o.lastWriteAt?.() ?? Number.NEGATIVE_INFINITY);
  while (waited < o.maxWaitMs && !o.cancelled?.()) {
    const busy = await busyDuring(o.probeMs);
    waited += o.probeMs;
    if (busy < o.threshold && sinceWrite() >= (o.writeGapMs ?? 0))
      return { waitedMs: waited, quiet: true };
  }
  return { waitedMs: waited, quiet: false };
}
