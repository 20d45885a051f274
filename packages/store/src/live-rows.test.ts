import "fake-indexeddb/auto";
import { Dexie } from "dexie";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AnnotationRow, type MarginDb, openMarginDb } from "./db.ts";
import { liveRows } from "./live-rows.ts";
import { createMarginStore } from "./store.ts";
import { CONSULTATION, newComment, SOURCE, testIds, until } from "./testing.ts";
import { zodChecks } from "./zod-checks.ts";

let n = 0;
const dbs: MarginDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function fresh() {
  const db = openMarginDb(`live-rows-${n++}`);
  dbs.push(db);
  const store = createMarginStore({ db, now: () => 1, newId: testIds(), check: zodChecks });
  return { db, store };
}

/** A row as a pull stores it, enough for the reader (which never looks inside). */
const pulledRow = (id: string, consultationId = CONSULTATION) =>
  ({
    id,
    consultationId,
    target: { source: SOURCE, selector: [] },
    paragraphKey: "p1",
    parentId: null,
    server: null,
    input: null,
    local: null,
    syncState: "synced",
    updatedAt: 1,
  }) as unknown as AnnotationRow;

describe("live rows", () => {
  it("follows creates, edits, +1s, pulled rows and withdrawals of its scope only, in key order", async () => {
    const { db, store } = fresh();
    const live = liveRows(db, { consultation: CONSULTATION });
    const a = await store.create(newComment("p1", "one"));
    const b = await store.create(newComment("p2", "two"));
    await store.create({
      ...newComment("p3", "elsewhere"),
      consultationId: "0190a1b2-0000-7000-8000-000000000099",
    });
    await until(() => live.value.value.length === 2);
    expect(live.ready.value).toBe(true);
    expect(live.value.value.map((r) => r.id)).toEqual([a.id, b.id]);

    await store.edit(a.id, { text: "one, edited" });
    await until(() => live.value.value[0]?.local?.text === "one, edited");
    await store.endorse(b.id, "agree");
    await until(() => live.value.value[1]?.myEndorsement === "agree");
    // Rows written in another order still come out in key order, as the scope's index gives them.
    await db.annotations.bulkPut([pulledRow("0-early"), pulledRow("~late")]);
    await until(() => live.value.value.length === 4);
    expect(live.value.value.map((r) => r.id)).toEqual(["0-early", a.id, b.id, "~late"]);
    // Withdrawn before it was sent: the comment is gone, here as in the store.
    await store.withdraw(b.id);
    await until(() => live.value.value.length === 3);
    expect(live.value.value.map((r) => r.id)).toEqual(["0-early", a.id, "~late"]);
    live.dispose();
  });

  it("takes this page's writes as written, reading nothing back, nor the whole scope again", async () => {
    const { db, store } = fresh();
    await db.annotations.bulkPut(
      Array.from({ length: 300 }, (_, i) => pulledRow(`r-${String(i).padStart(4, "0")}`)),
    );
    const scopeReads = vi.spyOn(db.annotations, "where");
    const gets = vi.spyOn(db.annotations, "bulkGet");
    const live = liveRows(db, { consultation: CONSULTATION });
    await until(() => live.value.value.length === 300);
    expect(scopeReads).toHaveBeenCalledTimes(1);

    await store.endorse("r-0007", "agree");
    await until(() => live.value.value[7]?.myEndorsement === "agree");
    expect(scopeReads).toHaveBeenCalledTimes(1);
    expect(gets).not.toHaveBeenCalled();

    // A pulled page: hundreds of rows at once, still read by key.
    await db.annotations.bulkPut(
      Array.from({ length: 600 }, (_, i) => pulledRow(`s-${String(i).padStart(4, "0")}`)),
    );
    await until(() => live.value.value.length === 900);
    expect(scopeReads).toHaveBeenCalledTimes(1);
    expect(gets).not.toHaveBeenCalled();

    // A clear touches a range: the reader reads its scope again.
    await db.annotations.clear();
    await until(() => live.value.value.length === 0);
    expect(scopeReads).toHaveBeenCalledTimes(2);
    live.dispose();
  });

  it("reads the rows another page wrote, by the keys it tells", async () => {
    const { db } = fresh();
    const live = liveRows(db, { consultation: CONSULTATION });
    await until(() => live.ready.value);
    // Another page: its own connection to the database, and the channel pages tell each other on.
    const other = await new Dexie(db.name).open();
    await other.table("annotations").put(pulledRow("from-elsewhere"));
    other.close();
    expect(live.value.value).toEqual([]);
    const gets = vi.spyOn(db.annotations, "bulkGet");
    const channel = new BroadcastChannel(`margin-rows:${db.name}`);
    channel.postMessage(["from-elsewhere"]);
    await until(() => live.value.value.length === 1);
    expect(gets.mock.calls).toEqual([[["from-elsewhere"]]]);
    channel.close();
    live.dispose();
  });

  it("tells other pages the keys this page wrote, and everything after a clear", async () => {
    const { db, store } = fresh();
    const heard: unknown[] = [];
    const otherPage = new BroadcastChannel(`margin-rows:${db.name}`);
    otherPage.onmessage = (e) => heard.push(e.data);
    const a = await store.create(newComment("p1", "one"));
    await until(() => heard.length === 1);
    expect(heard[0]).toEqual([a.id]);
    await db.annotations.clear();
    await until(() => heard.length === 2);
    expect(heard[1]).toBeNull();
    otherPage.close();
  });

  it("stops following once disposed", async () => {
    const { db, store } = fresh();
    const live = liveRows(db, { source: SOURCE });
    await until(() => live.ready.value);
    live.dispose();
    await store.create(newComment("p1", "after"));
    await new Promise((r) => setTimeout(r, 50));
    expect(live.value.value).toEqual([]);
  });
});
