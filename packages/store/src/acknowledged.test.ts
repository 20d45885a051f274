import "fake-indexeddb/auto";
import { type Annotation, annotationAsSent } from "@margin/model";
import { Dexie } from "dexie";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACKNOWLEDGE_IN_BULK_FROM, awaitsCreate } from "./acknowledged.ts";
import { type AnnotationRow, openMarginDb } from "./db.ts";
import { itemsIn } from "./live.ts";
import { byId, liveRows } from "./live-rows.ts";
import {
  type Answered,
  applyPushResults,
  type SentEntry,
  takeBatch,
  writeAcknowledged,
} from "./merge.ts";
import { createMarginStore } from "./store.ts";
import { AUTHOR, CONSULTATION, newComment, testIds, until } from "./testing.ts";
import { zodChecks } from "./zod-checks.ts";

let n = 0;
const open: Dexie[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const AT = "2025-01-02T03:04:05.000Z";
const many = ACKNOWLEDGE_IN_BULK_FROM + 10;

/** A store with `count` new comments queued and taken as one batch (the same ids in every call). */
async function queued(count: number, name = `acknowledged-${n++}`) {
  const db = openMarginDb(name);
  open.push(db);
  const store = createMarginStore({ db, now: () => 5, newId: testIds(), check: zodChecks });
  for (let i = 0; i < count; i++) await store.create(newComment(`p${i % 7}`, `comment ${i}`));
  const batch = await takeBatch(db, { now: 10, limit: 500 });
  return { db, store, batch };
}

/** The service's answer to each: stored as sent. */
const asSent = (batch: SentEntry[]): Answered[] =>
  batch.map((entry) => {
    if (entry.mutation.type !== "annotation.create") throw new Error("a create was expected");
    return {
      entry,
      result: {
        key: entry.key,
        status: "applied",
        annotation: annotationAsSent(entry.mutation.annotation, AUTHOR, AT),
      },
    };
  });

/** The same database, read as stored: no records applied. */
async function stored(name: string): Promise<AnnotationRow[]> {
  const raw = new Dexie(name);
  open.push(raw);
  await raw.open();
  return raw.table("annotations").toArray();
}

const inOrder = (rows: (AnnotationRow | undefined)[]) => [...(rows as AnnotationRow[])].sort(byId);

describe("new comments acknowledged in bulk", () => {
  it("one record acknowledges the push; every read shows the rows as writing each would have", async () => {
    const bulk = await queued(many);
    const oneByOne = await queued(many);
    await applyPushResults(bulk.db, asSent(bulk.batch), 20);
    // Fewer than the threshold at a time: each row is written as the answer comes.
    const answers = asSent(oneByOne.batch);
    for (let i = 0; i < answers.length; i += ACKNOWLEDGE_IN_BULK_FROM - 1)
      await applyPushResults(oneByOne.db, answers.slice(i, i + ACKNOWLEDGE_IN_BULK_FROM - 1), 20);
    expect(await oneByOne.db.acknowledged.count()).toBe(0);

    const records = await bulk.db.acknowledged.toArray();
    expect(records).toHaveLength(1);
    expect(records[0]?.ids).toHaveLength(many);
    expect(await bulk.db.outbox.count()).toBe(0);
    // The rows themselves were not written...
    expect((await stored(bulk.db.name)).every(awaitsCreate)).toBe(true);

    // ...but whichever way they are read, they read as the rows written one by one.
    const expected = inOrder(await oneByOne.db.annotations.toArray());
    expect(expected.every((r) => r?.syncState === "synced" && r.server?.created === AT)).toBe(true);
    const ids = expected.map((r) => r?.id as string);
    expect(inOrder(await bulk.db.annotations.toArray())).toEqual(expected);
    expect(inOrder(await bulk.db.annotations.bulkGet(ids))).toEqual(expected);
    expect(await bulk.db.annotations.get(ids[3] as string)).toEqual(expected[3]);
    expect(
      inOrder(await bulk.db.annotations.where("consultationId").equals(CONSULTATION).toArray()),
    ).toEqual(expected);
    // anyOf walks a cursor.
    expect(
      inOrder(
        await bulk.db.annotations
          .where("id")
          .anyOf([ids[1] as string, ids[5] as string])
          .toArray(),
      ),
    ).toEqual([expected[1], expected[5]]);
    expect(await itemsIn(bulk.db, { consultation: CONSULTATION })).toEqual(
      await itemsIn(oneByOne.db, { consultation: CONSULTATION }),
    );

    // Written out: the records go and the rows are stored as they read.
    expect(await writeAcknowledged(bulk.db)).toBe(many);
    expect(await bulk.db.acknowledged.count()).toBe(0);
    expect(inOrder(await stored(bulk.db.name))).toEqual(expected);
    expect(await writeAcknowledged(bulk.db)).toBe(0);
  });

  it("a comment changed after its record is changed from the service's copy, and kept when the rows are written out", async () => {
    const { db, store, batch } = await queued(many);
    await applyPushResults(db, asSent(batch), 20);
    const id = batch[0]?.annotationId as string;
    await store.edit(id, { text: "second thoughts" });
    await store.withdraw(batch[1]?.annotationId as string);
    const next = await takeBatch(db, { now: 30, limit: 500 });
    expect(next.map((e) => e.mutation)).toEqual([
      expect.objectContaining({ type: "annotation.edit", baseRevision: 1 }),
      expect.objectContaining({ type: "annotation.withdraw", baseRevision: 1 }),
    ]);
    expect(await writeAcknowledged(db)).toBe(many - 2);
    const row = await db.annotations.get(id);
    expect(row?.local?.text).toBe("second thoughts");
    expect(row?.server?.text).toBe("comment 0");
    expect(row?.syncState).toBe("pending");
  });

  it("too few, a copy the service changed, or a comment with more queued are each written at once", async () => {
    const few = await queued(ACKNOWLEDGE_IN_BULK_FROM - 1);
    await applyPushResults(few.db, asSent(few.batch), 20);
    expect(await few.db.acknowledged.count()).toBe(0);
    expect((await stored(few.db.name)).every((r) => r.syncState === "synced")).toBe(true);

    const { db, store, batch } = await queued(many + 2);
    const [changed, endorsed] = batch;
    await store.endorse(endorsed?.annotationId as string, "agree");
    const answers = asSent(batch).map((a) =>
      a.entry === changed && a.result.status === "applied"
        ? { ...a, result: { ...a.result, annotation: { ...a.result.annotation, text: "tidied" } } }
        : a,
    );
    await applyPushResults(db, answers, 20);
    expect((await db.acknowledged.toArray())[0]?.ids).toHaveLength(many);
    const raw = new Map((await stored(db.name)).map((r) => [r.id, r]));
    expect(raw.get(changed?.annotationId as string)?.server?.text).toBe("tidied");
    expect(raw.get(endorsed?.annotationId as string)).toEqual(
      expect.objectContaining({ syncState: "pending", myEndorsement: "agree" }),
    );
    expect(raw.get(endorsed?.annotationId as string)?.server).toEqual(
      expect.objectContaining({ revision: 1 }) as Annotation,
    );
  });

  it("readers of the rows hear of the record, in this page and in another", async () => {
    const name = `acknowledged-${n++}`;
    const { db, batch } = await queued(many, name);
    const other = openMarginDb(name);
    open.push(other);
    const here = liveRows(db, { consultation: CONSULTATION });
    const there = liveRows(other, { consultation: CONSULTATION });
    await until(() => here.value.value.length === many && there.value.value.length === many);
    const read = vi.spyOn(db.annotations, "bulkGet");
    await applyPushResults(db, asSent(batch), 20);
    const allSynced = (rows: AnnotationRow[]) => rows.every((r) => r.syncState === "synced");
    await until(() => allSynced(here.value.value) && allSynced(there.value.value));
    expect(read).toHaveBeenCalledTimes(1);
    here.dispose();
    there.dispose();
  });
});
