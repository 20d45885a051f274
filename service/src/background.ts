import type { Kysely } from "kysely";
import { type QuietOptions, untilQuiet } from "./busy.ts";
import type { Database } from "./db/schema.ts";
import { clusterPending } from "./features/clustering/clustering.worker.ts";
import type { Mailer } from "./features/notifications/mail.ts";
import {
  deliverDue,
  scanDeadlines,
  scanNewPoints,
} from "./features/notifications/notifications.ts";

/**
 * What every instance does between requests: fold new comments into points,
 * announce deadlines, deliver webhooks and emails. All of it is claimed through the
 * database (skip-locked rows, advisory locks, dedupe keys), so any number of
 * instances can run this side by side. Returns a function that stops it and
 * waits for the round in progress.
 */
export function startBackground(
  db: Kysely<Database>,
  opts: {
    publicUrl: string;
    intervalMs?: number;
    now?: () => Date;
    fetch?: typeof fetch;
    /** Set when SMTP is configured: officials get deadline emails and an hourly digest. */
    mailer?: Mailer | null;
    onError?: (e: unknown) => void;
    /** How clustering waits for quiet between rounds (see busy.ts). */
    quiet?: Partial<Omit<QuietOptions, "cancelled">>;
    /** Comments a clustering round claims once the service is quiet, and while it is still busy. */
    roundSize?: { quiet: number; busy: number };
  },
) {
  const now = opts.now ?? (() => new Date());
  const quiet = { threshold: 0.5, probeMs: 50, maxWaitMs: 2000, ...opts.quiet };
  // While requests keep coming, clustering still takes a step every two seconds, but a small one:
  // a round of a thousand held PostgreSQL and the loop long enough to double the slowest
  // answers of a deadline rush (p99 of creates 43-52 ms against 30-41 ms in small steps).
  const roundSize = opts.roundSize ?? { quiet: 1000, busy: 100 };
  const onError = opts.onError ?? ((e) => console.error("background work failed; will retry", e));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let rounds = 0;
  let running: Promise<void> = Promise.resolve();
  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (e) {
      onError(Object.assign(e instanceof Error ? e : new Error(String(e)), { step: name }));
    }
  };
  const round = async () => {
    await step("clustering", async () => {
      while (!stopped) {
        // Requests first: points can wait a little, a person posting a comment should not.
        const wait = await untilQuiet({ ...quiet, cancelled: () => stopped });
        const limit = wait.quiet ? roundSize.quiet : roundSize.busy;
        if ((await clusterPending(db, { publicUrl: opts.publicUrl, limit })) < limit) break;
      }
    });
    // Deadlines move slowly: look once a minute at the default interval.
    const email = Boolean(opts.mailer);
    if (rounds++ % 60 === 0) {
      await step("deadlines", () => scanDeadlines(db, now(), opts.publicUrl, { email }));
      if (email) await step("digest", () => scanNewPoints(db, now(), opts.publicUrl));
    }
    await step("delivery", () =>
      deliverDue(db, { now: now(), fetch: opts.fetch, mailer: opts.mailer ?? null }),
    );
    if (!stopped) timer = setTimeout(() => (running = round()), opts.intervalMs ?? 1000);
  };
  running = round();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
