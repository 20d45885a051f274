import { expandPushAnswer, type MutationInput, MutationSchema } from "@margin/model";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as rememberedResultsMigration from "../../db/migrations/2026-12-01-9-remembered-results.ts";
import type { AuthUser } from "../../http/context.ts";
import { backends } from "../../test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
  uuidv7,
} from "../../test/harness.ts";
import { createAnnotation } from "../annotations/annotations.commands.ts";

describe.each(backends)("sync push and pull over HTTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  const create = (text: string): MutationInput => ({
    type: "annotation.create",
    key: uuidv7(),
    annotation: annotationInput(p.consultationId, { text }),
  });

  /** Runs `fn` with the service's clock a week past the consultation's close. */
  const whileClosed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const openNow = s.clock.now;
    s.clock.now = new Date(openNow.getTime() + 8 * 86_400_000);
    try {
      return await fn();
    } finally {
      s.clock.now = openNow;
    }
  };

  it("answers a key sent twice in one batch once, the second like a replay", async () => {
    const a = create("sent twice by a client that retried inside its own batch");
    const b = create("between the two");
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [a, b, a] },
    });
    expect(push.status).toBe(200);
    const [first, middle, again] = push.body.results;
    expect([first.status, middle.status]).toEqual(["applied", "applied"]);
    expect(again).toEqual(first);
    const id = (a as { annotation: { id: string } }).annotation.id;
    const rows = await s.db.selectFrom("annotations").select("id").where("id", "=", id).execute();
    expect(rows).toHaveLength(1);
  });

  it("applies a batch in order with one result each, and a replay changes nothing", async () => {
    const a = create("first");
    const b = create("second");
    const aId = (a as { annotation: { id: string } }).annotation.id;
    const mutations: MutationInput[] = [
      a,
      b,
      {
        type: "annotation.edit",
        key: uuidv7(),
        id: aId,
        baseRevision: 1,
        patch: { text: "first, edited offline" },
      },
    ];
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations },
    });
    expect(push.status).toBe(200);
    expect(push.body.results.map((r: { status: string }) => r.status)).toEqual([
      "applied",
      "applied",
      "applied",
    ]);
    expect(push.body.results[2].annotation).toMatchObject({
      text: "first, edited offline",
      revision: 2,
    });
    // The edit's outcome is remembered; the new comments are remembered by their own rows.
    const rememberedNow = async () =>
      new Map(
        (
          await s.db
            .selectFrom("applied_mutations")
            .select(["key", "result"])
            .where("user_id", "=", p.alice.user.id)
            .where(
              "key",
              "in",
              mutations.map((m) => m.key),
            )
            .execute()
        ).map((r) => [r.key, r.result]),
      );
    const remembered = await rememberedNow();
    expect(remembered).toEqual(new Map([[mutations[2]?.key, { status: "applied", id: aId }]]));
    const rows = await s.db
      .selectFrom("annotations")
      .select("id")
      .where("author_id", "=", p.alice.user.id)
      .execute();
    const replay = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations },
    });
    // The same outcomes; each annotation as it now stands (the edit shows in the first too).
    expect(
      replay.body.results.map((r: { key: string; status: string }) => [r.key, r.status]),
    ).toEqual(push.body.results.map((r: { key: string; status: string }) => [r.key, r.status]));
    expect(replay.body.results[0].annotation).toEqual(push.body.results[2].annotation);
    expect(replay.body.results.slice(1)).toEqual(push.body.results.slice(1));
    const after = await s.db
      .selectFrom("annotations")
      .select(["id", "revision"])
      .where("author_id", "=", p.alice.user.id)
      .execute();
    expect(after).toHaveLength(rows.length);
    expect(after.find((r) => r.id === aId)?.revision).toBe(2);

    // Once the consultation has closed, a replay (a device back online late) still gets the
    // results it was given, and nothing remembered is written for it.
    const openNow = s.clock.now;
    s.clock.now = new Date(openNow.getTime() + 8 * 86_400_000);
    try {
      const late = await s.call("POST", "/v1/sync/push", {
        token: p.alice.token,
        body: { mutations },
      });
      expect(late.body).toEqual(replay.body);
    } finally {
      s.clock.now = openNow;
    }
    expect(await rememberedNow()).toEqual(remembered);
  });

  it("remembers a refused new comment, so its replay is refused the same way", async () => {
    const refused = create("too late");
    const first = await whileClosed(() =>
      s.call("POST", "/v1/sync/push", { token: p.alice.token, body: { mutations: [refused] } }),
    );
    expect(first.body.results[0]).toMatchObject({
      status: "rejected",
      error: { code: "consultation_closed" },
    });
    // Open again at the device's next try: the answer given stands.
    const replay = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [refused] },
    });
    expect(replay.body).toEqual(first.body);
  });

  it("stores new comments pushed twice at once exactly once, and answers both pushes alike", async () => {
    const batch = Array.from({ length: 40 }, (_, i) => create(`raced ${i}`));
    const push = () =>
      s.call("POST", "/v1/sync/push", { token: p.alice.token, body: { mutations: batch } });
    const [one, two] = await Promise.all([push(), push()]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body.results.every((r: { status: string }) => r.status === "applied")).toBe(true);
    expect(two.body).toEqual(one.body);
    const ids = batch.map((m) => (m as { annotation: { id: string } }).annotation.id);
    const stored = await s.db
      .selectFrom("annotations")
      .select("id")
      .where("id", "in", ids)
      .execute();
    expect(stored).toHaveLength(40);
  });

  it("refuses a new comment pushed twice at once alike, and remembers the refusal once", async () => {
    const refused = create("too late, twice");
    const key = (refused as { key: string }).key;
    const push = () =>
      s.call("POST", "/v1/sync/push", { token: p.alice.token, body: { mutations: [refused] } });
    const answers = await whileClosed(() => Promise.all([push(), push()]));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.results[0]).toMatchObject({
        status: "rejected",
        error: { code: "consultation_closed" },
      });
    }
    const remembered = await s.db
      .selectFrom("applied_mutations")
      .select("key")
      .where("key", "=", key)
      .execute();
    expect(remembered).toHaveLength(1);
  });

  it("leaves out the annotations a client can work out when asked for the minimal answer", async () => {
    const plain = create("stored exactly as sent");
    const spaced = create("  the service trims this  ");
    const replayed = create("sent before");
    const first = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [replayed] },
    });
    const edit: MutationInput = {
      type: "annotation.edit",
      key: uuidv7(),
      id: (plain as { annotation: { id: string } }).annotation.id,
      baseRevision: 1,
      patch: { text: "edited in the same push" },
    };
    const mutations = [plain, spaced, replayed, create("stored exactly as sent, too"), edit];
    const then = s.clock.now;
    s.clock.now = new Date(then.getTime() + 1000);
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations },
      headers: { prefer: "return=minimal" },
    });
    s.clock.now = then;
    expect(push.status).toBe(200);
    expect(push.headers.get("preference-applied")).toBe("return=minimal");
    const { results, author, at } = push.body;
    expect(author).toEqual({
      id: p.alice.user.id,
      displayName: p.alice.user.displayName,
      role: "citizen",
    });
    // Left out: the two stored as sent. Whole: the trimmed text, the replay (stored earlier,
    // at another moment), and the edit.
    expect(results.map((r: object) => "annotation" in r)).toEqual([false, true, true, false, true]);
    expect(results[1].annotation.text).toBe("the service trims this");
    expect(results[2]).toEqual(first.body.results[0]);
    // Worked out again, each equals the stored comment as it stood after its own mutation.
    const whole = expandPushAnswer(mutations, push.body);
    const after = await s.call(
      "GET",
      `/v1/annotations?consultation=${p.consultationId}&limit=500`,
      {
        token: p.alice.token,
      },
    );
    const stored = new Map(after.body.items.map((a: { id: string }) => [a.id, a]));
    const fourth = whole?.[3];
    expect(fourth?.status === "applied" && fourth.annotation).toEqual(
      stored.get((mutations[3] as { annotation: { id: string } }).annotation.id),
    );
    const firstResult = whole?.[0];
    expect(firstResult?.status === "applied" && firstResult.annotation).toEqual({
      ...(stored.get((plain as { annotation: { id: string } }).annotation.id) as object),
      text: "stored exactly as sent",
      revision: 1,
      modified: at,
    });
    // Without the preference, the answer is whole.
    const again = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [create("asked for nothing")] },
    });
    expect(again.headers.get("preference-applied")).toBeNull();
    expect(again.body.results[0].annotation.text).toBe("asked for nothing");
  });

  it("answers a replay of results remembered whole, before migration 9, as before", async () => {
    const a = create("remembered whole");
    const aId = (a as { annotation: { id: string } }).annotation.id;
    const mutations: MutationInput[] = [
      a,
      { type: "annotation.edit", key: uuidv7(), id: aId, baseRevision: 7, patch: { text: "x" } },
      { type: "annotation.withdraw", key: uuidv7(), id: uuidv7(), baseRevision: 1 },
    ];
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations },
    });
    expect(push.body.results.map((r: { status: string }) => r.status)).toEqual([
      "applied",
      "conflict",
      "rejected",
    ]);
    // Stored as migration 8 left them: the whole answer, key included.
    for (const r of push.body.results)
      await sql`update applied_mutations set result = ${JSON.stringify(r)}::text::jsonb
                 where user_id = ${p.alice.user.id} and key = ${r.key}`.execute(s.db);
    await rememberedResultsMigration.up(s.db);
    const stored = await s.db
      .selectFrom("applied_mutations")
      .select("result")
      .where(
        "key",
        "in",
        push.body.results.map((r: { key: string }) => r.key),
      )
      .execute();
    for (const { result } of stored) expect(result).not.toHaveProperty("key");
    const replay = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations },
    });
    expect(replay.body).toEqual(push.body);
  });

  it("stores a run of new comments together with the same answers as one by one", async () => {
    const a = create("bulk a");
    const twin = { ...a, key: uuidv7() };
    const sameKey = a;
    const b = create("bulk b");
    const bId = (b as { annotation: { id: string } }).annotation.id;
    const reply: MutationInput = {
      type: "annotation.create",
      key: uuidv7(),
      annotation: annotationInput(p.consultationId, {
        parentId: bId,
        motivation: "replying",
        text: "a reply in the same batch",
      }),
    };
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.bob.token,
      body: { mutations: [a, twin, sameKey, b, reply, create("bulk c")] },
    });
    expect(push.body.results.map((r: { status: string }) => r.status)).toEqual([
      "applied",
      "applied",
      "applied",
      "applied",
      "applied",
      "applied",
    ]);
    expect(push.body.results[1].annotation).toEqual(push.body.results[0].annotation);
    expect(push.body.results[2]).toEqual(push.body.results[0]);
    expect(push.body.results[4].annotation.parentId).toBe(bId);
    const aId = (a as { annotation: { id: string } }).annotation.id;
    const rows = await s.db
      .selectFrom("annotations")
      .select("id")
      .where("id", "in", [aId, bId])
      .execute();
    expect(rows).toHaveLength(2);
    const stolen = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [{ ...a, key: uuidv7() }] },
    });
    expect(stolen.body.results[0]).toMatchObject({
      status: "rejected",
      error: { code: "conflict" },
    });
  });

  it("rejects a malformed mutation alone, with its reason", async () => {
    const good = create("fine");
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: {
        mutations: [
          { type: "annotation.create", key: uuidv7(), annotation: { text: "no target" } },
          good,
          { type: "teleport" },
        ],
      },
    });
    expect(push.status).toBe(200);
    expect(push.body.results.map((r: { status: string }) => r.status)).toEqual([
      "rejected",
      "applied",
      "rejected",
    ]);
    expect(push.body.results[0].error).toMatchObject({ code: "validation_failed" });
    expect(push.body.results[0].error.message).toContain("mutations.0.annotation");
  });

  it("reports a conflict with the server copy when two devices edit the same revision", async () => {
    const c = create("shared text");
    const id = (c as { annotation: { id: string } }).annotation.id;
    await s.call("POST", "/v1/sync/push", { token: p.alice.token, body: { mutations: [c] } });
    const laptop = {
      type: "annotation.edit",
      key: uuidv7(),
      id,
      baseRevision: 1,
      patch: { text: "laptop wording" },
    };
    const phone = {
      type: "annotation.edit",
      key: uuidv7(),
      id,
      baseRevision: 1,
      patch: { text: "phone wording" },
    };
    const first = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [laptop] },
    });
    expect(first.body.results[0].status).toBe("applied");
    const second = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [phone] },
    });
    expect(second.body.results[0]).toMatchObject({
      status: "conflict",
      server: { text: "laptop wording", revision: 2 },
    });
    const stored = await s.call("GET", `/v1/annotations/${id}`);
    expect(stored.body.text).toBe("laptop wording");
  });

  it("rejects mutations by others and on closed consultations, as results", async () => {
    const c = create("alice's");
    const id = (c as { annotation: { id: string } }).annotation.id;
    await s.call("POST", "/v1/sync/push", { token: p.alice.token, body: { mutations: [c] } });
    const push = await s.call("POST", "/v1/sync/push", {
      token: p.bob.token,
      body: { mutations: [{ type: "annotation.withdraw", key: uuidv7(), id, baseRevision: 1 }] },
    });
    expect(push.body.results[0]).toMatchObject({
      status: "rejected",
      error: { code: "forbidden" },
    });
  });

  it("pulls changes after a cursor, each annotation in its current state", async () => {
    const all = await s.call("GET", `/v1/sync/pull?consultation=${p.consultationId}&since=0`);
    expect(all.status).toBe(200);
    expect(all.body.annotations.length).toBeGreaterThan(3);
    expect(new Set(all.body.annotations.map((a: { id: string }) => a.id)).size).toBe(
      all.body.annotations.length,
    );
    const cursor = all.body.cursor;
    const none = await s.call(
      "GET",
      `/v1/sync/pull?consultation=${p.consultationId}&since=${cursor}`,
    );
    expect(none.body).toEqual({ annotations: [], responses: [], cursor, hasMore: false });
    const c = create("after the cursor");
    await s.call("POST", "/v1/sync/push", { token: p.bob.token, body: { mutations: [c] } });
    const next = await s.call(
      "GET",
      `/v1/sync/pull?consultation=${p.consultationId}&since=${cursor}`,
    );
    expect(next.body.annotations.map((a: { text: string }) => a.text)).toEqual([
      "after the cursor",
    ]);
    expect(next.body.cursor).toBeGreaterThan(cursor);
    const paged = await s.call(
      "GET",
      `/v1/sync/pull?consultation=${p.consultationId}&since=0&limit=2`,
    );
    expect(paged.body.hasMore).toBe(true);
  });

  it("pulls a page that is not a consultation by its canonical URL", async () => {
    const m: MutationInput = {
      type: "annotation.create",
      key: uuidv7(),
      annotation: annotationInput(null, {
        target: {
          source: "https://news.example/a",
          selector: [{ type: "TextQuoteSelector", exact: "x" }],
        },
      }),
    };
    await s.call("POST", "/v1/sync/push", { token: p.alice.token, body: { mutations: [m] } });
    const pulled = await s.call(
      "GET",
      `/v1/sync/pull?source=${encodeURIComponent("https://news.example/a?ref=1")}`,
    );
    expect(pulled.body.annotations).toHaveLength(1);
    const both = await s.call(
      "GET",
      `/v1/sync/pull?source=https://news.example/a&consultation=${p.consultationId}`,
    );
    expect(both.status).toBe(400);
  });

  it("bounds batches and bodies with clear errors", async () => {
    const many = Array.from({ length: 501 }, () => create("x"));
    const tooMany = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: many },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].path).toBe("body.mutations");
    const empty = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: [] },
    });
    expect(empty.status).toBe(400);
    const huge = await s.call("POST", "/v1/sync/push", {
      token: p.alice.token,
      body: { mutations: Array.from({ length: 450 }, () => create("y".repeat(9_999))) },
    });
    expect(huge.status).toBe(413);
    const anonymous = await s.call("POST", "/v1/sync/push", { body: { mutations: [create("z")] } });
    expect(anonymous.status).toBe(401);
  });

  // S5: a reader never skips a change that commits late. Writers no longer
  // commit in number order, so pulls give the numbers, and only to changes
  // whose transactions are certainly over.
  const pull = async (since: number) => {
    const r = await s.call("GET", `/v1/sync/pull?consultation=${p.consultationId}&since=${since}`);
    expect(r.status).toBe(200);
    return r.body as { annotations: { id: string }[]; cursor: number; hasMore: boolean };
  };

  it("never skips a change whose transaction began first and commits last (S5)", async () => {
    let cursor = (await pull(0)).cursor;
    const seen: string[] = [];
    const pullOnce = async () => {
      const r = await pull(cursor);
      expect(r.cursor).toBeGreaterThanOrEqual(cursor);
      seen.push(...r.annotations.map((a) => a.id));
      cursor = r.cursor;
      return r;
    };

    // Writer A stores its comment and keeps its transaction open.
    const early = MutationSchema.parse(create("early writer, late commit"));
    if (early.type !== "annotation.create") throw new Error("a create was expected");
    const writer: AuthUser = await s.db
      .selectFrom("users")
      .select(["id", "email", "display_name", "role", "agency_id", "created_at"])
      .where("id", "=", p.alice.user.id)
      .executeTakeFirstOrThrow();
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stored = () => {};
    const storedEarly = new Promise<void>((resolve) => {
      stored = resolve;
    });
    const held = s.db.transaction().execute(async (tx) => {
      const r = await createAnnotation(tx, writer, early.annotation, s.clock.now);
      stored();
      await released;
      return r;
    });
    await storedEarly;

    // Writer B starts later and commits first (on another paragraph, whose counters A does not hold).
    const late = annotationInput(p.consultationId, {
      text: "later writer, early commit",
      target: {
        source: "https://gov.example/drafts/labor",
        selector: [{ type: "ParagraphSelector", key: "art-31.p1" }],
      },
    });
    const lateWrite = s.call("POST", "/v1/annotations", { token: p.bob.token, body: late });
    let queuedPull: Promise<unknown> | undefined;
    if (backend === "postgres") {
      expect((await lateWrite).status).toBe(201);
      // B is committed, but A, older, still runs: neither is certain to be
      // final in number order, so the reader is given neither yet.
      const mid = await pullOnce();
      expect(mid.annotations.map((a) => a.id)).not.toContain(early.annotation.id);
      expect(mid.annotations.map((a) => a.id)).not.toContain(late.id);
    } else {
      // One connection: B and this pull wait behind A and run after it commits.
      queuedPull = pullOnce();
    }

    release();
    expect((await held).status).toBe("applied");
    expect((await lateWrite).status).toBe(201);
    await queuedPull;
    await pullOnce();
    expect(seen).toContain(early.annotation.id);
    expect(seen).toContain(late.id);
    // And nothing comes back twice from the cursor reached.
    expect((await pull(cursor)).annotations).toEqual([]);
  });

  it("numbers a scope densely, in commit-safe order, across many writers", async () => {
    const before = (await pull(0)).cursor;
    const inputs = Array.from({ length: 20 }, (_, i) =>
      annotationInput(p.consultationId, { text: `parallel ${i}` }),
    );
    const writes = await Promise.all(
      inputs.map((body, i) =>
        s.call("POST", "/v1/annotations", {
          token: (i % 2 ? p.alice : p.bob).token,
          body,
        }),
      ),
    );
    expect(writes.map((w) => w.status)).toEqual(inputs.map(() => 201));
    const r = await pull(before);
    expect(new Set(r.annotations.map((a) => a.id))).toEqual(new Set(inputs.map((i) => i.id)));
    const numbers = await s.db
      .selectFrom("changes")
      .select("seq")
      .where("scope", "=", `c:${p.consultationId}`)
      .orderBy("seq")
      .execute();
    expect(numbers.map((n) => n.seq)).toEqual(numbers.map((_, i) => i + 1));
  });
});
