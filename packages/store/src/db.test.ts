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

  it("version 3: the indexes nothing reads by are dropped and every row is kept", async () => {
    const name = "upgrade-unread-indexes";
    const v2 = new Dexie(name);
    v2.version(2).stores({
      annotations: "id, consultationId, target.source, paragraphKey, syncState, parentId",
      outbox: "++seq, key, annotationId",
      meta: "name",
    });
    const annotation = {
      id: "a1",
      consultationId: "c1",
      target: { source: "https://gov.example/draft", selector: [] },
      paragraphKey: "p1",
      parentId: null,
      server: null,
      input: null,
      local: null,
      syncState: "pending",
      updatedAt: 0,
    };
    await v2.table("annotations").add(annotation);
    await v2.table("outbox").add({ key: "k1", annotationId: "a1", kind: "annotation" });
    v2.close();

    const db = openMarginDb(name);
    expect(db.annotations.schema.indexes.map((i) => i.name)).toEqual([
      "consultationId",
      "target.source",
    ]);
    expect(db.outbox.schema.indexes.map((i) => i.name)).toEqual(["annotationId"]);
    expect(await db.annotations.where("consultationId").equals("c1").toArray()).toEqual([
      annotation,
    ]);
    expect(
      await db.annotations.where("target.source").equals("https://gov.example/draft").count(),
    ).toBe(1);
    expect(await db.outbox.where("annotationId").equals("a1").count()).toBe(1);
    db.close();
  });
});
