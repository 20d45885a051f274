import { performance } from "node:perf_hooks";

/**
 * When this instance last took a write. Background work in the same process
 * waits for a gap in the writes (busy.ts), so a person's push is not held
 * behind a round of clustering.
 */
export interface WriteActivity {
  mark(): void;
  lastAt(): number;
}

export function writeActivity(now: () => number = () => performance.now()): WriteActivity {
  let last = Number.NEGATIVE_INFINITY;
  return {
    mark() {
      last = now();
    },
    lastAt: () => last,
  };
}
