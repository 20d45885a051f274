import { describe, expect, it } from "vitest";
import { loopBusyDuring, untilQuiet } from "./busy.ts";

const scripted = (levels: number[]) => {
  const seen: number[] = [];
  return {
    seen,
    busyDuring: async (ms: number) => {
      seen.push(ms);
      return levels.shift() ?? 0;
    },
  };
};

describe("untilQuiet", () => {
  it("waits while the loop is busy and goes on at the first quiet probe", async () => {
    const loop = scripted([0.9, 0.8, 0.2, 0.9]);
    const waited = await untilQuiet({ threshold: 0.5, probeMs: 100, maxWaitMs: 5000, ...loop });
    expect(waited).toEqual({ waitedMs: 300, quiet: true });
    expect(loop.seen).toEqual([100, 100, 100]);
  });

  it("waits for a gap after this instance's last write, even while the loop is idle", async () => {
    let t = 0;
    const idle = async (ms: number) => {
      t += ms;
      return 0;
    };
    // A client pushed at t = 0 and pushes again at t = 300: quiet only 1 s after that.
    const writes = [0, 300];
    const lastWriteAt = () => Math.max(...writes.filter((w) => w <= t));
    const waited = await untilQuiet({
      threshold: 0.5,
      probeMs: 100,
      maxWaitMs: 5000,
      busyDuring: idle,
      lastWriteAt,
      writeGapMs: 1000,
      now: () => t,
    });
    expect(waited).toEqual({ waitedMs: 1300, quiet: true });
    // Writes that never stop still leave background work its turn after maxWaitMs.
    const always = await untilQuiet({
      threshold: 0.5,
      probeMs: 100,
      maxWaitMs: 800,
      busyDuring: idle,
      lastWriteAt: () => t,
      writeGapMs: 1000,
      now: () => t,
    });
    expect(always).toEqual({ waitedMs: 800, quiet: false });
  });

  it("never waits past maxWaitMs, so background work is slowed but not starved", async () => {
    const loop = scripted(Array(100).fill(1));
    expect(await untilQuiet({ threshold: 0.5, probeMs: 100, maxWaitMs: 500, ...loop })).toEqual({
      waitedMs: 500,
      quiet: false,
    });
  });

  it("stops waiting when cancelled", async () => {
    const loop = scripted(Array(100).fill(1));
    let probes = 0;
    const waited = await untilQuiet({
      threshold: 0.5,
      probeMs: 100,
      maxWaitMs: 5000,
      busyDuring: async (ms) => {
        probes++;
        return loop.busyDuring(ms);
      },
      cancelled: () => probes >= 2,
    });
    expect(waited).toEqual({ waitedMs: 200, quiet: false });
  });

  it("measures a loop kept busy as busy, and an idle one as idle", async () => {
    const idle = await loopBusyDuring(50);
    const spin = setInterval(() => {
      const until = Date.now() + 8;
      while (Date.now() < until) {}
    }, 10);
    const busy = await loopBusyDuring(100);
    clearInterval(spin);
    expect(idle).toBeLessThan(0.3);
    expect(busy).toBeGreaterThan(0.5);
  });
});
