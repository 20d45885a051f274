import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBackground } from "./background.ts";
import { backends } from "./test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
  uuidv7,
} from "./test/harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends)("background clustering on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeEach(async () => {
    s = await startTestService(backend);
    p = await populate(s);
    const pushed = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: {
        mutations: Array.from({ length: 250 }, (_, i) => ({
          type: "annotation.create",
          key: uuidv7(),
          annotation: annotationInput(p.consultationId, { text: `Comment number ${i} on hours.` }),
        })),
      },
    });
    expect(pushed.status).toBe(200);
  });
  afterEach(() => s.close());

  /** Every count of clustered comments seen, polled until all 250 are in points. */
  const clusteredCounts = async (loopBusy: number) => {
    const stop = startBackground(s.db, {
      publicUrl: "http://margin.test",
      quiet: {
        probeMs: 10,
        maxWaitMs: 300,
        busyDuring: async (ms) => {
          await sleep(ms);
          return loopBusy;
        },
      },
      roundSize: { quiet: 1000, busy: 100 },
      onError: (e) => {
        throw e;
      },
    });
    const seen: number[] = [];
    try {
      for (let t = 0; t < 10_000 && seen.at(-1) !== 250; t += 5) {
        const { n } = await s.db
          .selectFrom("annotations")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("computed_cluster_id", "is not", null)
          .executeTakeFirstOrThrow();
        if (Number(n) !== seen.at(-1)) seen.push(Number(n));
        await sleep(5);
      }
    } finally {
      await stop();
    }
    return seen;
  };

  it("takes small steps while the service stays busy, and still gets through", async () => {
    // A round commits at once, and the next one waits out maxWaitMs: each step is seen.
    expect(await clusteredCounts(1)).toEqual([0, 100, 200, 250]);
  });

  it("folds everything in one round once the service is quiet", async () => {
    expect(await clusteredCounts(0)).toEqual([0, 250]);
  });
});
