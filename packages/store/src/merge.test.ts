import "fake-indexeddb/auto";
import type { Annotation, AnnotationCreate } from "@margin/model";
import { afterEach, describe, expect, it } from "vitest";
import { type AnnotationRow, type MarginDb, openMarginDb } from "./db.ts";
import {
  applyPushResults,
  mergePulled,
  rowFromServer,
  type SentEntry,
  takeBatch,
} from "./merge.ts";
import { fakeService, newComment, testIds } from "./testing.ts";
import {
  createAnnotation,
  editAnnotation,
  type StoreDeps,
  setEndorsement,
  withdrawAnnotation,
} from "./writes.ts";
import { zodChecks } from "./zod-checks.ts";

let n = 0;
const dbs: MarginDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

async function synced(): Promise<{ deps: StoreDeps; server: Annotation }> {
  const db = openMarginDb(`merge-${n++}`);
  dbs.push(db);
  const newId = testIds();
  const server = fakeService().fromInput({
    ...newComment("p1", "original"),
    id: newId(),
    parentId: null,
    motivation: "commenting",
    suggestion: null,
    stance: "neutral",
  });
  await db.annotations.put(rowFromServer(server, 0));
  return { deps: { db, now: () => 5, newId, check: zodChecks }, server };
}

describe("pull merge (S6, S10)", () => {
  it("S10: a newer server copy replaces a synced one and the cursor moves in the same transaction", async () => {
    const { deps, server } = await synced();
    await mergePulled(
      deps.db,
      "consultation:x",
      { annotations: [{ ...server, text: "new", revision: 2 }], cursor: 7 },
      9,
    );
    expect((await deps.db.annotations.get(server.id))?.server?.text).toBe("new");
    expect((await deps.db.cursors.get("consultation:x"))?.cursor).toBe(7);
  });

  it("S10: an older copy never replaces a newer one", async () => {
    const { deps, server } = await synced();
    await mergePulled(
      deps.db,
      "s",
      { annotations: [{ ...server, text: "new", revision: 3 }], cursor: 2 },
      9,
    );
    await mergePulled(
      deps.db,
      "s",
      { annotations: [{ ...server, text: "old", revision: 2 }], cursor: 3 },
      9,
    );
    expect((await deps.db.annotations.get(server.id))?.server?.text).toBe("new");
  });

  it("S6: a server change under an unsent local edit becomes a conflict holding both texts", async () => {
    const { deps, server } = await synced();
    await editAnnotation(deps, server.id, { text: "mine" });
    await mergePulled(
      deps.db,
      "s",
      { annotations: [{ ...server, text: "theirs", revision: 2 }], cursor: 1 },
      9,
    );
    const row = await deps.db.annotations.get(server.id);
    expect(row?.syncState).toBe("conflict");
    expect(row?.local?.text).toBe("mine");
    expect(row?.conflict?.server.text).toBe("theirs");
    expect(row?.conflict?.reason).toBe("changed_on_server");
    expect(await deps.db.outbox.count()).toBe(0);
  });

  it("S6: when the server already says what I wrote, there is nothing to resolve", async () => {
    const { deps, server } = await synced();
    await editAnnotation(deps, server.id, { text: "same" });
    await mergePulled(
      deps.db,
      "s",
      { annotations: [{ ...server, text: "same", revision: 2 }], cursor: 1 },
      9,
    );
    const row = await deps.db.annotations.get(server.id);
    expect(row).toMatchObject({ syncState: "synced", local: null });
    expect(await deps.db.outbox.count()).toBe(0);
  });

  it("S6: a comment withdrawn here and on another device is no conflict when the other's withdrawal is pulled", async () => {
    const { deps, server } = await synced();
    await withdrawAnnotation(deps, server.id);
    // The service keeps no text for a withdrawn comment.
    const withdrawn = { ...server, text: "", status: "withdrawn" as const, revision: 2 };
    await mergePulled(deps.db, "s", { annotations: [withdrawn], cursor: 1 }, 9);
    const row = await deps.db.annotations.get(server.id);
    expect(row).toMatchObject({ syncState: "synced", local: null, server: withdrawn });
    expect(row?.conflict).toBeUndefined();
    expect(await deps.db.outbox.count()).toBe(0);
  });

  it("S6: endorsement counts moving without a new revision do not disturb a pending endorsement", async () => {
    const { deps, server } = await synced();
    await setEndorsement(deps, server.id, "agree");
    await mergePulled(
      deps.db,
      "s",
      { annotations: [{ ...server, endorsements: { agree: 4, disagree: 0 } }], cursor: 1 },
      9,
    );
    const row = await deps.db.annotations.get(server.id);
    expect(row?.syncState).toBe("pending");
    expect(row?.server?.endorsements.agree).toBe(4);
    expect(row?.myEndorsement).toBe("agree");
  });

  it("S10: a copy the store already holds is not written again; the cursor still moves", async () => {
    const { deps, server } = await synced();
    await mergePulled(deps.db, "s", { annotations: [{ ...server }], cursor: 4 }, 9);
    expect((await deps.db.annotations.get(server.id))?.updatedAt).toBe(0);
    expect((await deps.db.cursors.get("s"))?.cursor).toBe(4);
    // The same revision with other counts (endorsements) is a change, and is written.
    const counted = { ...server, endorsements: { agree: 2, disagree: 0 } };
    await mergePulled(deps.db, "s", { annotations: [counted], cursor: 5 }, 9);
    expect(await deps.db.annotations.get(server.id)).toMatchObject({
      server: counted,
      updatedAt: 9,
    });
  });

  it("S6/S10: a page of annotations in different states merges each as if pulled alone", async () => {
    const { deps, server: unchanged } = await synced();
    const { db } = deps;
    const copy = (text: string) => ({ ...unchanged, id: deps.newId(), text });
    const edited = copy("edited here");
    const older = { ...copy("newer here"), revision: 3 };
    const twice = copy("twice");
    for (const a of [edited, older, twice]) await db.annotations.put(rowFromServer(a, 0));
    await editAnnotation(deps, edited.id, { text: "mine" });
    const fresh = copy("new to this store");

    await mergePulled(
      db,
      "s",
      {
        annotations: [
          unchanged,
          { ...edited, text: "theirs", revision: 2 },
          fresh,
          { ...older, text: "stale", revision: 2 },
          { ...twice, text: "twice, 2", revision: 2 },
          { ...twice, text: "twice, 3", revision: 3 },
        ],
        cursor: 6,
      },
      9,
    );
    expect((await db.annotations.get(unchanged.id))?.updatedAt).toBe(0);
    expect(await db.annotations.get(edited.id)).toMatchObject({
      syncState: "conflict",
      local: { text: "mine" },
      conflict: { server: { text: "theirs" }, reason: "changed_on_server" },
    });
    expect(await db.annotations.get(fresh.id)).toMatchObject({
      syncState: "synced",
      server: fresh,
    });
    expect((await db.annotations.get(older.id))?.server?.text).toBe("newer here");
    expect((await db.annotations.get(twice.id))?.server).toMatchObject({
      text: "twice, 3",
      revision: 3,
    });
    expect(await db.outbox.count()).toBe(0);
    expect((await db.cursors.get("s"))?.cursor).toBe(6);
  });

  it("S10: caches official responses when a page carries them", async () => {
    const { deps, server } = await synced();
    const response = {
      id: "r1",
      consultationId: "c1",
      targetType: "annotation",
      targetId: server.id,
      annotationId: server.id,
      text: "Adopted in the next version",
      disposition: "adopted",
      official: { id: "o1", displayName: "Officer Chen" },
      publishedAt: "2025-01-02T00:00:00.000Z",
      revision: 1,
    };
    await mergePulled(deps.db, "s", { annotations: [], cursor: 3, responses: [response] }, 9);
    expect(await deps.db.responses.where("annotationId").equals(server.id).toArray()).toEqual([
      response,
    ]);
  });
});

describe("taking a batch behind one at the service (S2, S4)", () => {
  it("takes what follows it, and stops at a change that needs the answer still out", async () => {
    const { deps, server } = await synced();
    await editAnnotation(deps, server.id, { text: "first edit" });
    const out = await takeBatch(deps.db, { now: 10, limit: 1 });
    expect(out.map((e) => e.mutation.type)).toEqual(["annotation.edit"]);
    const other = await createAnnotation(deps, newComment("p2", "another comment"));
    // Behind an edit not yet answered, this one's base revision is the one that answer brings.
    await editAnnotation(deps, server.id, { text: "second edit" });
    const ahead = await takeBatch(deps.db, { now: 10, limit: 500, force: true, behind: out });
    expect(ahead.map((e) => [e.mutation.type, e.annotationId])).toEqual([
      ["annotation.create", other.id],
    ]);
    // From the head, as after a failed push, the batch at the service is taken again first.
    const again = await takeBatch(deps.db, { now: 10, limit: 500, force: true });
    expect(again.map((e) => e.mutation.type)).toEqual(["annotation.edit", "annotation.create"]);
  });
});

describe("push results (S5, S6, S8)", () => {
  it("S5: a batch of answers lands in one go, each as if applied alone", async () => {
    const db = openMarginDb(`merge-${n++}`);
    dbs.push(db);
    const deps: StoreDeps = { db, now: () => 5, newId: testIds(), check: zodChecks };
    const service = fakeService();
    const made = [];
    for (const text of ["kept", "clashes", "refused", "not answered"])
      made.push(await createAnnotation(deps, newComment("p1", text)));
    const sent = await takeBatch(db, { now: 10, limit: 200 });
    expect(sent).toHaveLength(4);
    const [kept, clashes, refused] = sent as [SentEntry, SentEntry, SentEntry, SentEntry];
    const serverCopy = (e: SentEntry) =>
      service.fromInput((e.mutation as { annotation: AnnotationCreate }).annotation);
    await applyPushResults(
      db,
      [
        { entry: kept, result: { key: kept.key, status: "applied", annotation: serverCopy(kept) } },
        {
          entry: clashes,
          result: {
            key: clashes.key,
            status: "conflict",
            reason: "changed elsewhere",
            server: { ...serverCopy(clashes), text: "theirs" },
          },
        },
        {
          entry: refused,
          result: {
            key: refused.key,
            status: "rejected",
            error: { code: "consultation_closed", message: "closed" },
          },
        },
      ],
      20,
    );
    const rows = await db.annotations.bulkGet(made.map((m) => m.id));
    expect(rows.map((r) => r?.syncState)).toEqual(["synced", "conflict", "rejected", "pending"]);
    expect(rows[0]?.server?.text).toBe("kept");
    expect(rows[1]?.conflict?.server.text).toBe("theirs");
    expect(rows[1]?.local?.text).toBe("clashes");
    expect(rows[2]?.rejection?.code).toBe("consultation_closed");
    const left = await db.outbox.toArray();
    expect(left.map((r) => r.annotationId)).toEqual([made[3]?.id]);
  });

  it("S6: a conflict answer whose server copy already says what I said settles the comment", async () => {
    // Both of a person's devices withdrew the same comment; the second withdrawal is answered
    // with a conflict. Shown as one, "keep mine" would send a withdrawal refused again, forever.
    const { deps, server } = await synced();
    await withdrawAnnotation(deps, server.id);
    const [sent] = await takeBatch(deps.db, { now: 10, limit: 500 });
    const withdrawn = { ...server, text: "", status: "withdrawn" as const, revision: 2 };
    await applyPushResults(
      deps.db,
      [
        {
          entry: sent as SentEntry,
          result: {
            key: (sent as SentEntry).key,
            status: "conflict",
            reason: "you withdrew this annotation on another device",
            server: withdrawn,
          },
        },
      ],
      20,
    );
    const row = await deps.db.annotations.get(server.id);
    expect(row).toMatchObject({ syncState: "synced", local: null, server: withdrawn });
    expect(row?.conflict).toBeUndefined();
    expect(await deps.db.outbox.count()).toBe(0);
  });

  it("S5: long batches are read and cleared by ranges, leaving the rows in between alone", async () => {
    const db = openMarginDb(`merge-${n++}`);
    dbs.push(db);
    const newId = testIds();
    const deps: StoreDeps = { db, now: () => 5, newId, check: zodChecks };
    const service = fakeService();
    const made: AnnotationRow[] = [];
    let theirs: Annotation | undefined;
    for (let i = 0; i < 20; i++) {
      made.push(await createAnnotation(deps, newComment("p1", `comment ${i}`)));
      if (i === 12) {
        // Someone else's comment, pulled meanwhile: its id sorts among this person's.
        theirs = service.fromInput({
          ...newComment("p2", "theirs"),
          id: newId(),
          parentId: null,
          motivation: "commenting",
          suggestion: null,
          stance: "neutral",
        });
        await db.annotations.put(rowFromServer(theirs, 1));
      }
    }
    const sent = await takeBatch(db, { now: 10, limit: 500 });
    expect(sent).toHaveLength(20);
    await editAnnotation(deps, (made[3] as AnnotationRow).id, { text: "edited after sending" });
    const answer = (e: SentEntry) => ({
      entry: e,
      result: {
        key: e.key,
        status: "applied" as const,
        annotation: service.fromInput((e.mutation as { annotation: AnnotationCreate }).annotation),
      },
    });
    const queued = async () =>
      (await db.outbox.toArray()).map((r) => [
        made.indexOf(made.find((m) => m.id === r.annotationId) as AnnotationRow),
        r.mutation.type,
      ]);
    // The first ten, one after another: one range each way.
    await applyPushResults(db, sent.slice(0, 10).map(answer), 20);
    expect(await queued()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [10 + i, "annotation.create"]),
      [3, "annotation.edit"],
    ]);
    // The rest but the fifteenth, whose row (and the other person's) lies between them.
    await applyPushResults(
      db,
      sent
        .slice(10)
        .filter((_, i) => i !== 4)
        .map(answer),
      30,
    );
    expect(await queued()).toEqual([
      [14, "annotation.create"],
      [3, "annotation.edit"],
    ]);
    expect((await db.annotations.get((made[14] as AnnotationRow).id))?.syncState).toBe("pending");
    await applyPushResults(db, [answer(sent[14] as SentEntry)], 40);
    expect(await queued()).toEqual([[3, "annotation.edit"]]);
    const rows = await db.annotations.bulkGet(made.map((m) => m.id));
    expect(rows.map((r) => r?.syncState)).toEqual(
      made.map((_, i) => (i === 3 ? "pending" : "synced")),
    );
    expect(rows[3]?.local?.text).toBe("edited after sending");
    expect(await db.annotations.get((theirs as Annotation).id)).toEqual(
      rowFromServer(theirs as Annotation, 1),
    );
  });

  it("S5: answers for comments far apart in the outbox leave the rows between them queued", async () => {
    const db = openMarginDb(`merge-${n++}`);
    dbs.push(db);
    const deps: StoreDeps = { db, now: () => 5, newId: testIds(), check: zodChecks };
    const service = fakeService();
    const made: AnnotationRow[] = [];
    for (let i = 0; i < 6; i++) made.push(await createAnnotation(deps, newComment("p1", `c${i}`)));
    const sent = await takeBatch(db, { now: 10, limit: 500 });
    // The first and the last are answered; four queued rows lie between their ids, more
    // than the answers, so the rows of these two are read by key.
    const [first, last] = [sent[0], sent[5]] as [SentEntry, SentEntry];
    await editAnnotation(deps, (made[0] as AnnotationRow).id, { text: "c0, edited" });
    await applyPushResults(
      db,
      [first, last].map((e) => ({
        entry: e,
        result: {
          key: e.key,
          status: "applied" as const,
          annotation: service.fromInput(
            (e.mutation as { annotation: AnnotationCreate }).annotation,
          ),
        },
      })),
      20,
    );
    const left = await db.outbox.toArray();
    expect(
      left.map((r) => [made.findIndex((m) => m.id === r.annotationId), r.mutation.type]),
    ).toEqual([
      [1, "annotation.create"],
      [2, "annotation.create"],
      [3, "annotation.create"],
      [4, "annotation.create"],
      [0, "annotation.edit"],
    ]);
    const rows = await db.annotations.bulkGet(made.map((m) => m.id));
    expect(rows.map((r) => r?.syncState)).toEqual([
      "pending",
      "pending",
      "pending",
      "pending",
      "pending",
      "synced",
    ]);
    expect(rows[0]?.server?.text).toBe("c0");
    expect(rows[0]?.local?.text).toBe("c0, edited");
  });
});
