import "fake-indexeddb/auto";
import Dexie from "dexie";
import { describe, expect, it } from "vitest";
import { openMarginDb } from "./db.ts";
import { sentRows, sentThrough } from "./writes.ts";

describe("store database upgrades", () => {
  it("version 2: rows marked sent one by one become the rows below the sent mark (S3)", async () => {
    const name = "upgrade-sent-mark";
    const v1 = new Dexie(name);
    v1.version(1).stores({ outbox: "++seq, key, annotationId" });
    const row = (key: string, sent: boolean) => ({
      key,
      annotationId: "a1",
      kind: "annotation",
      mutation: { type: "annotation.withdraw", key, id: "a1", baseRevision: null },
      sent,
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: 0,
    });
    await v1.table("outbox").bulkAdd([row("k1", true), row("k2", true), row("k3", false)]);
    v1.close();

    const db = openMarginDb(name);
    expect(await sentThrough(db)).toBe(2);
    const sent = await sentRows(db);
    expect((await db.outbox.toArray()).map((r) => [r.key, sent(r)])).toEqual([
      ["k1", true],
      ["k2", true],
      ["k3", false],
    ]);
    db.close();
  });
});
