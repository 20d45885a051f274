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
  /** Share of the loop's time spent busy during `ms` from now; the real loop by default. */
  busyDuring?: (ms: number) => Promise<number>;
}

/** The event loop's utilisation over the next `ms`. */
export async function loopBusyDuring(ms: number): Promise<number> {
  const start = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, ms));
  return performance.eventLoopUtilization(start).utilization;
}

/**
 * Waits until the event loop has been quiet for one probe (or `maxWaitMs`
 * passed). Background work in the process that answers requests (clustering)
 * calls it between rounds, so during a rush of writes it takes only the time
 * the requests leave, and catches up at full speed once the rush is over.
 * Returns how long it waited.
 */
export async function untilQuiet(o: QuietOptions): Promise<number> {
  const busyDuring = o.busyDuring ?? loopBusyDuring;
  let waited = 0;
  while (waited < o.maxWaitMs && !o.cancelled?.()) {
    const busy = await busyDuring(o.probeMs);
    waited += o.probeMs;
    if (busy < o.threshold) break;
  }
  return waited;
}
