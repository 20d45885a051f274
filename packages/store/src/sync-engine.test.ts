import "fake-indexeddb/auto";
import { MAX_PUSH_MUTATIONS } from "@margin/model";
import { Dexie } from "dexie";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApiClient } from "./api-client.ts";
import { type MarginDb, openMarginDb, scopeKey } from "./db.ts";
import { itemsIn, toView } from "./live.ts";
import { createMarginStore } from "./store.ts";
import {
  type Connectivity,
  createSyncEngine,
  MAX_BATCH,
  type SyncEngineOptions,
} from "./sync-engine.ts";
import {
  CONSULTATION,
  fakeService,
  jsonResponse,
  manualScheduler,
  newComment,
  SOURCE,
  testIds,
} from "./testing.ts";
import { sentThrough } from "./writes.ts";
import { zodChecks } from "./zod-checks.ts";

let n = 0;
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function setup(extra: Partial<SyncEngineOptions> = {}) {
  const db: MarginDb = openMarginDb(`sync-${n++}`);
  const service = fakeService();
  const clock = { t: 1_000_000 };
  const now = () => clock.t;
  const api = createApiClient({
    baseUrl: "http://svc.test",
    fetch: service.fetch,
    getToken: () => "tok",
    check: zodChecks,
    now,
  });
  const scheduler = manualScheduler();
  const engine = createSyncEngine({ db, api, now, random: () => 0.5, scheduler, ...extra });
  const store = createMarginStore({ db, now, newId: testIds(), check: zodChecks });
  cleanup.push(() => {
    engine.dispose();
    db.close();
  });
  return { db, service, clock, api, scheduler, engine, store };
}

const pushedCount = (s: ReturnType<typeof fakeService>) =>
  s.pushes.reduce((k, b) => k + b.length, 0);

describe("push (S2, S5)", () => {
  it("S5: twelve offline comments reach the service exactly once and the outbox empties", async () => {
    const { db, service, engine, store } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await store.create(newComment(`p${i}`, `c${i}`))).id);
    expect(engine.status.value.pending).toBe(0); // not started: nothing counted or sent yet
    const out = await engine.syncNow();
    expect(out).toMatchObject({ pushed: 12, error: null });
    expect(service.annotations.size).toBe(12);
    expect(pushedCount(service)).toBe(12);
    expect(await db.outbox.count()).toBe(0);
    for (const id of ids) {
      const row = await db.annotations.get(id);
      expect(row?.syncState).toBe("synced");
      expect(row?.server?.revision).toBe(1);
      expect(row?.local).toBe(null);
    }
    expect(engine.status.value).toMatchObject({
      pending: 0,
      lastError: null,
      lastSyncAt: 1_000_000,
    });
    await engine.syncNow();
    expect(service.annotations.size).toBe(12);
  });

  it("S5: a push whose answer was lost is replayed with the same keys and changes nothing twice", async () => {
    const { db, service, engine, store } = setup();
    for (let i = 0; i < 3; i++) await store.create(newComment(`p${i}`, `c${i}`));
    service.script.push("apply-then-network");
    const first = await engine.syncNow();
    expect(first.error?.code).toBe("network_error");
    expect(service.annotations.size).toBe(3); // the service did apply them
    expect(await db.outbox.count()).toBe(3); // but nothing was acknowledged
    const rows = await db.outbox.toArray();
    const mark = await sentThrough(db);
    expect(rows.every((r) => (r.seq as number) <= mark && r.attempts === 1)).toBe(true);

    await engine.syncNow({ force: true });
    expect(service.pushes[1]?.map((m) => m.key)).toEqual(service.pushes[0]?.map((m) => m.key));
    expect(service.annotations.size).toBe(3);
    expect(await db.outbox.count()).toBe(0);
  });

  it("S3/S4: an edit made after the create was sent follows it with the revision the create yielded", async () => {
    const { db, service, engine, store } = setup();
    const row = await store.create(newComment("p1", "first"));
    service.script.push("apply-then-network");
    await engine.syncNow();
    await store.edit(row.id, { text: "second" });
    await engine.syncNow({ force: true });
    expect(service.pushes.map((b) => b.map((m) => m.type))).toEqual([
      ["annotation.create"],
      ["annotation.create"],
      ["annotation.edit"],
    ]);
    expect(service.pushes[2]?.[0]).toMatchObject({ baseRevision: 1 });
    expect(service.annotations.get(row.id)?.text).toBe("second");
    expect((await db.annotations.get(row.id))?.syncState).toBe("synced");
  });

  it("S2: pushes at most as many mutations at a time as the service takes", async () => {
    expect(MAX_BATCH).toBe(MAX_PUSH_MUTATIONS);
    const { db, service, engine, store } = setup();
    await db.transaction("rw", db.annotations, db.outbox, db.meta, async () => {
      for (let i = 0; i < 1100; i++) await store.create(newComment(`p${i}`, `c${i}`));
    });
    await engine.syncNow();
    expect(service.pushes.map((b) => b.length)).toEqual([500, 500, 100]);
    expect(await db.outbox.count()).toBe(0);
  });

  it("a long queue is acknowledged a record per push, and its rows are written out once it drains", async () => {
    const { db, service, engine, store } = setup();
    await db.transaction("rw", db.annotations, db.outbox, db.meta, async () => {
      for (let i = 0; i < 1100; i++) await store.create(newComment(`p${i}`, `c${i}`));
    });
    const records = vi.spyOn(db.acknowledged, "bulkAdd");
    await engine.syncNow();
    expect(records.mock.calls.map(([rows]) => rows.flatMap((r) => r.ids).length)).toEqual([
      500, 500, 100,
    ]);
    expect(await db.acknowledged.count()).toBe(0);
    const raw = new Dexie(db.name);
    cleanup.push(() => raw.close());
    await raw.open();
    const rows = await raw.table("annotations").toArray();
    expect(rows.filter((r) => r.syncState === "synced" && r.server?.revision === 1)).toHaveLength(
      1100,
    );
    expect(service.annotations.size).toBe(1100);
  });

  it("S2: a 413 halves the batch until it fits", async () => {
    const { service, engine, store } = setup();
    for (let i = 0; i < 4; i++) await store.create(newComment(`p${i}`, `c${i}`));
    service.script.push(
      jsonResponse(413, { error: { code: "payload_too_large", message: "too big" } }),
    );
    await engine.syncNow();
    expect(service.pushes.map((b) => b.length)).toEqual([2, 2]);
    expect(service.annotations.size).toBe(4);
  });

  it("S2/S8: a batch refused as invalid is split until the bad mutation is rejected alone", async () => {
    const { db, service, engine, store } = setup();
    const a = await store.create(newComment("p1", "ok"));
    const bad = { error: { code: "validation_failed", message: "bad mutation" } };
    service.script.push(jsonResponse(400, bad), jsonResponse(400, bad));
    await engine.syncNow();
    const row = await db.annotations.get(a.id);
    expect(row?.syncState).toBe("rejected");
    expect(row?.rejection?.code).toBe("validation_failed");
    expect(row?.local?.text).toBe("ok");
    expect(await db.outbox.count()).toBe(0);
  });

  it("S5: mutations the answer does not mention stay in the outbox", async () => {
    const { db, service, engine, store } = setup();
    const a = await store.create(newComment("p1", "one"));
    await store.create(newComment("p2", "two"));
    const [m1] = (await db.outbox.orderBy("seq").toArray()).map((r) => r.mutation);
    service.script.push(
      jsonResponse(200, {
        results: [
          {
            key: m1?.key,
            status: "applied",
            annotation: service.fromInput(
              m1?.type === "annotation.create" ? m1.annotation : (undefined as never),
            ),
          },
        ],
      }),
    );
    const out = await engine.syncNow();
    expect(out.error?.code).toBe("invalid_response");
    expect((await db.annotations.get(a.id))?.syncState).toBe("synced");
    expect(await db.outbox.count()).toBe(1);
  });
});

describe("retry (S7)", () => {
  it("S7: backs off exponentially with full jitter on network errors", async () => {
    const { db, service, engine, store, scheduler, clock } = setup();
    await store.create(newComment("p1", "x"));
    service.script.push("network", "network", "network");
    await engine.syncNow();
    expect(scheduler.delays).toEqual([500]); // 0.5 × 1 s
    expect(engine.status.value.nextRetryAt).toBe(clock.t + 500);
    expect((await db.outbox.toArray())[0]).toMatchObject({
      attempts: 1,
      nextAttemptAt: clock.t + 500,
    });

    // An unforced cycle (the periodic timer) respects the backoff.
    await engine.syncNow();
    expect(service.requests).toHaveLength(1);

    scheduler.runNext();
    await engine.syncNow({ force: true }); // joins the running retry, then one more cycle
    expect(scheduler.delays).toEqual([500, 1000, 2000]);
    expect(service.requests.filter((r) => r.path === "/v1/sync/push")).toHaveLength(3);

    scheduler.runNext();
    await engine.syncNow({ force: true });
    expect(service.annotations.size).toBe(1);
    expect(engine.status.value.lastError).toBe(null);
    expect(engine.status.value.nextRetryAt).toBe(null);
  });

  it("S7: honours Retry-After on 429 and 503", async () => {
    const { service, engine, store, scheduler } = setup();
    await store.create(newComment("p1", "x"));
    service.script.push(
      jsonResponse(
        429,
        { error: { code: "rate_limited", message: "slow down" } },
        { "retry-after": "30" },
      ),
    );
    const out = await engine.syncNow();
    expect(out.error).toMatchObject({
      status: 429,
      code: "rate_limited",
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(scheduler.delays).toEqual([30_000]);

    service.script.push(
      jsonResponse(
        503,
        { error: { code: "unavailable", message: "later" } },
        { "retry-after": "2" },
      ),
    );
    await engine.syncNow({ force: true });
    // jitter would say 0.5 × 2 s = 1 s; Retry-After says 2 s
    expect(scheduler.delays).toEqual([30_000, 2_000]);
  });

  it("S7: a 401 is not retried on a timer", async () => {
    const { service, engine, store, scheduler } = setup();
    await store.create(newComment("p1", "x"));
    service.script.push(
      jsonResponse(401, { error: { code: "unauthenticated", message: "sign in" } }),
    );
    const out = await engine.syncNow();
    expect(out.error?.code).toBe("unauthenticated");
    expect(scheduler.pending()).toEqual([]);
  });
});

describe("conflicts and rejections (S6, S8, S9)", () => {
  /** A synced comment changed on the service (by default its text) while I edited it here. */
  async function conflicted(
    elsewhere = (service: ReturnType<typeof fakeService>, id: string) =>
      service.editElsewhere(id, "theirs"),
  ) {
    const ctx = setup();
    const row = await ctx.store.create(newComment("p1", "original"));
    await ctx.engine.syncNow();
    elsewhere(ctx.service, row.id);
    await ctx.store.edit(row.id, { text: "mine" });
    await ctx.engine.syncNow();
    return { ...ctx, id: row.id, row };
  }

  it("S6: a stale edit becomes a conflict that keeps both texts", async () => {
    const { db, id } = await conflicted();
    const row = await db.annotations.get(id);
    expect(row?.syncState).toBe("conflict");
    const view = toView(row as NonNullable<typeof row>);
    expect(view.text).toBe("mine");
    expect(view.conflict?.mine.text).toBe("mine");
    expect(view.conflict?.server.text).toBe("theirs");
    expect(await db.outbox.count()).toBe(0);
  });

  it("S9: keepMine re-sends my text based on the server's revision", async () => {
    const { db, service, engine, store, id } = await conflicted();
    await store.keepMine(id);
    expect((await db.outbox.toArray())[0]?.mutation).toMatchObject({
      type: "annotation.edit",
      baseRevision: 2,
      patch: { text: "mine" },
    });
    await engine.syncNow();
    expect(service.annotations.get(id)).toMatchObject({ text: "mine", revision: 3 });
    const row = await db.annotations.get(id);
    expect(row).toMatchObject({ syncState: "synced", local: null });
    expect(row?.conflict).toBeUndefined();
  });

  it("S9: takeTheirs drops my text and shows the server's", async () => {
    const { db, engine, store, id } = await conflicted();
    await store.takeTheirs(id);
    const row = await db.annotations.get(id);
    expect(row).toMatchObject({ syncState: "synced", local: null });
    expect(row?.server?.text).toBe("theirs");
    await engine.syncNow();
    expect(await db.outbox.count()).toBe(0);
  });

  it("S9: keepMine over a withdrawal made on another device posts my text as a new comment on the same passage", async () => {
    const { db, service, engine, store, row } = await conflicted((service, id) =>
      service.setStatusElsewhere(id, "withdrawn"),
    );
    expect((await db.annotations.get(row.id))?.syncState).toBe("conflict");
    // The service never changes a withdrawn comment: an edit of it would be refused for ever.
    await store.keepMine(row.id);
    const [queued, ...more] = await db.outbox.toArray();
    expect(more).toEqual([]);
    expect(queued?.mutation).toMatchObject({
      type: "annotation.create",
      annotation: { text: "mine", target: row.target, consultationId: CONSULTATION },
    });
    const old = await db.annotations.get(row.id);
    expect(old).toMatchObject({
      syncState: "synced",
      local: null,
      server: { status: "withdrawn" },
    });
    expect(old?.conflict).toBeUndefined();
    expect((await engine.syncNow()).error).toBe(null);
    const views = await itemsIn(db, { consultation: CONSULTATION });
    expect(views.map((v) => [v.status, v.syncState, v.id === row.id ? "old" : v.text])).toEqual([
      ["withdrawn", "synced", "old"],
      ["visible", "synced", "mine"],
    ]);
    expect([...service.annotations.values()].map((a) => [a.status, a.text])).toEqual([
      ["withdrawn", "original"],
      ["visible", "mine"],
    ]);
  });

  it("S9: keepMine over a moderator's hiding is refused with the reason; takeTheirs settles it", async () => {
    const { db, store, row } = await conflicted((service, id) =>
      service.setStatusElsewhere(id, "hidden"),
    );
    await expect(store.keepMine(row.id)).rejects.toMatchObject({
      code: "hidden",
      message: "a moderator hid this comment (flagged for review): it can no longer be changed",
    });
    expect((await db.annotations.get(row.id))?.syncState).toBe("conflict");
    expect(await db.outbox.count()).toBe(0);
    await store.takeTheirs(row.id);
    expect(await db.annotations.get(row.id)).toMatchObject({
      syncState: "synced",
      server: { status: "hidden" },
    });
  });

  it("S8: a rejected create keeps its text and the reason", async () => {
    const { db, service, engine, store } = setup();
    service.closed.add(CONSULTATION);
    const row = await store.create(newComment("p1", "Please reconsider article 3"));
    await engine.syncNow();
    const stored = await db.annotations.get(row.id);
    expect(stored?.syncState).toBe("rejected");
    expect(stored?.rejection).toEqual({
      code: "consultation_closed",
      message: "comments are closed",
    });
    expect(stored?.local?.text).toBe("Please reconsider article 3");
    expect(await db.outbox.count()).toBe(0);

    // S9: sending it again after the consultation reopened
    service.closed.clear();
    await store.keepMine(row.id);
    await engine.syncNow();
    expect((await db.annotations.get(row.id))?.syncState).toBe("synced");
    expect(service.annotations.get(row.id)?.text).toBe("Please reconsider article 3");
  });
});

/** `n` comments by someone else, already on the service. */
function seedTheirs(service: ReturnType<typeof fakeService>, n: number) {
  const other = fakeService();
  const ids = testIds(Date.UTC(2024, 0, 1));
  for (let i = 0; i < n; i++)
    service.seed(
      other.fromInput({
        ...newComment(`p${i}`, `theirs ${i}`),
        id: ids(),
        parentId: null,
        motivation: "commenting",
        suggestion: null,
        stance: "neutral",
      }),
    );
}

describe("pull (S6, S10)", () => {
  it("S10: merges changes of a watched scope and advances its cursor page by page", async () => {
    const { db, service, engine } = setup({ pullLimit: 2 });
    seedTheirs(service, 5);
    const stop = engine.watch({ consultation: CONSULTATION });
    await engine.syncNow();
    expect(await db.annotations.count()).toBe(5);
    expect((await db.cursors.get(scopeKey({ consultation: CONSULTATION })))?.cursor).toBe(5);
    expect(service.pulls.map((q) => new URLSearchParams(q).get("since"))).toEqual(["0", "2", "4"]);
    const items = await itemsIn(db, { source: SOURCE });
    expect(items.map((i) => i.syncState)).toEqual(Array(5).fill("synced"));

    await engine.syncNow();
    expect(new URLSearchParams(service.pulls.at(-1)).get("since")).toBe("5");
    stop();
    const before = service.pulls.length;
    await engine.syncNow();
    expect(service.pulls.length).toBe(before);
  });
});

describe("pull pages (S10)", () => {
  it("S10: asks for the next page while merging this one; a page that fails keeps those before it", async () => {
    const { db, service, api, scheduler } = setup();
    seedTheirs(service, 5);
    // Cursor writes are counted as they happen, inside the merge's transaction.
    let cursorWrites = 0;
    db.cursors.hook("creating", () => void cursorWrites++);
    db.cursors.hook("updating", () => void cursorWrites++);
    const asked: Array<{ since: number; cursorWrites: number }> = [];
    let failSecond = true;
    const engine = createSyncEngine({
      db,
      scheduler,
      random: () => 0.5,
      pullLimit: 2,
      api: {
        push: api.push,
        pull: (scope, since, limit) => {
          asked.push({ since, cursorWrites });
          if (asked.length === 2 && failSecond) {
            failSecond = false;
            return Promise.resolve({
              ok: false,
              error: {
                kind: "network",
                status: 0,
                code: "network_error",
                message: "fetch failed",
                retryable: true,
                retryAfterMs: null,
              },
            });
          }
          return api.pull(scope, since, limit);
        },
      },
    });
    cleanup.push(() => engine.dispose());
    engine.watch({ consultation: CONSULTATION });

    const first = await engine.syncNow();
    expect(first.error?.code).toBe("network_error");
    // Page two was asked for before page one's cursor was written.
    expect(asked).toEqual([
      { since: 0, cursorWrites: 0 },
      { since: 2, cursorWrites: 0 },
    ]);
    expect(await db.annotations.count()).toBe(2);
    expect((await db.cursors.get(scopeKey({ consultation: CONSULTATION })))?.cursor).toBe(2);

    const second = await engine.syncNow({ force: true });
    expect(second.error).toBeNull();
    expect(asked.slice(2).map((a) => a.since)).toEqual([2, 4]);
    expect(await db.annotations.count()).toBe(5);
  });
});

describe("lifecycle (S11)", () => {
  function fakeConnectivity() {
    let online = false;
    const listeners = new Set<(o: boolean) => void>();
    const c: Connectivity = {
      isOnline: () => online,
      subscribe(cb) {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
    };
    return {
      c,
      listeners,
      set(o: boolean) {
        online = o;
        for (const l of listeners) l(o);
      },
    };
  }

  it("S11: does nothing offline, syncs when the network comes back, stops on dispose", async () => {
    const net = fakeConnectivity();
    const { service, engine, store, scheduler } = setup({
      connectivity: net.c,
      intervalMs: 30_000,
    });
    await store.create(newComment("p1", "on the train"));
    const stop = engine.start();
    await engine.syncNow();
    expect(service.requests).toHaveLength(0);
    expect(engine.status.value.online).toBe(false);
    expect(scheduler.pending().map((t) => t.ms)).toEqual([30_000]);

    net.set(true);
    await engine.syncNow();
    expect(service.annotations.size).toBe(1);
    expect(engine.status.value.online).toBe(true);

    stop();
    expect(net.listeners.size).toBe(0);
    expect(scheduler.pending()).toEqual([]);
    await store.create(newComment("p2", "after dispose"));
    await engine.syncNow();
    expect(service.annotations.size).toBe(1);
  });

  it("S11: a sync asked for while one runs is answered after the cycle that took its changes", async () => {
    const { db, service, store } = setup();
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let fetches = 0;
    const api = createApiClient({
      baseUrl: "http://svc.test",
      fetch: async (input, init) => {
        fetches++;
        await held;
        return service.fetch(input, init);
      },
      getToken: () => "tok",
      check: zodChecks,
      now: () => 1_000_000,
    });
    const engine = createSyncEngine({
      db,
      api,
      now: () => 1_000_000,
      scheduler: manualScheduler(),
    });
    cleanup.push(() => engine.dispose());
    await store.create(newComment("p1", "taken by the first cycle"));
    const first = engine.syncNow();
    await vi.waitFor(() => expect(fetches).toBe(1));
    await store.create(newComment("p2", "written while it was at the service"));
    const second = engine.syncNow();
    release();
    expect(await second).toMatchObject({ pushed: 2, error: null });
    expect(await first).toMatchObject({ pushed: 2 });
    expect(service.pushes.map((b) => b.length)).toEqual([1, 1]);
    expect(service.annotations.size).toBe(2);
  });

  it("S11: the periodic timer syncs", async () => {
    const { service, engine, store, scheduler } = setup({ intervalMs: 10_000 });
    engine.start();
    await engine.syncNow();
    await store.create(newComment("p1", "later"));
    expect(scheduler.runNext()).toBe(10_000);
    await engine.syncNow();
    expect(service.annotations.size).toBe(1);
    expect(scheduler.pending().map((t) => t.ms)).toEqual([10_000]);
  });
});
