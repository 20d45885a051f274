import "fake-indexeddb/auto";
import { MutationSchema } from "@margin/model";
import { afterEach, describe, expect, it } from "vitest";
import { type MarginDb, openMarginDb } from "./db.ts";
import { takeBatch } from "./merge.ts";
import { newComment, testIds } from "./testing.ts";
import {
  createAnnotation,
  editAnnotation,
  outboxFor,
  type StoreDeps,
  StoreError,
  setEndorsement,
  withdrawAnnotation,
} from "./writes.ts";
import { zodChecks } from "./zod-checks.ts";

let n = 0;
const open: MarginDb[] = [];
function setup(name = `writes-${n++}`): StoreDeps {
  const db = openMarginDb(name);
  open.push(db);
  return { db, now: () => 1000, newId: testIds(), check: zodChecks };
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe("local writes", () => {
  it("S1: a comment made offline is pending with its create mutation, and survives reopening the database", async () => {
    const deps = setup("reopen");
    const row = await createAnnotation(deps, newComment("art-3", "Too vague"));
    expect(row.syncState).toBe("pending");
    deps.db.close();

    const again = openMarginDb("reopen");
    open.push(again);
    const stored = await again.annotations.get(row.id);
    expect(stored?.local?.text).toBe("Too vague");
    expect(stored?.syncState).toBe("pending");
    expect(stored?.paragraphKey).toBe("art-3");
    const outbox = await again.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.mutation.type).toBe("annotation.create");
    expect(MutationSchema.safeParse(outbox[0]?.mutation).success).toBe(true);
  });

  it("S1: twelve comments offline give twelve rows and twelve mutations, in order", async () => {
    const deps = setup();
    for (let i = 0; i < 12; i++) await createAnnotation(deps, newComment(`p${i}`, `comment ${i}`));
    expect(await deps.db.annotations.count()).toBe(12);
    const seqs = (await deps.db.outbox.orderBy("seq").toArray()).map((r) => r.mutation);
    expect(seqs.map((m) => (m.type === "annotation.create" ? m.annotation.text : ""))).toEqual(
      Array.from({ length: 12 }, (_, i) => `comment ${i}`),
    );
  });

  it("S1: an invalid comment writes nothing", async () => {
    const deps = setup();
    await expect(createAnnotation(deps, newComment("p", "   "))).rejects.toThrow();
    expect(await deps.db.annotations.count()).toBe(0);
    expect(await deps.db.outbox.count()).toBe(0);
  });

  it("S3: editing a still-pending create folds into that create", async () => {
    const deps = setup();
    const row = await createAnnotation(deps, newComment("p1", "first"));
    await editAnnotation(deps, row.id, { text: "second", stance: "oppose" });
    const rows = await deps.db.outbox.toArray();
    expect(rows).toHaveLength(1);
    const m = rows[0]?.mutation;
    expect(m?.type === "annotation.create" && m.annotation.text).toBe("second");
    expect(m?.type === "annotation.create" && m.annotation.stance).toBe("oppose");
    expect((await deps.db.annotations.get(row.id))?.local?.text).toBe("second");
  });

  it("S3/S4: after a create was sent, an edit is queued with its base revision left to the answer", async () => {
    const deps = setup();
    const row = await createAnnotation(deps, newComment("p1", "first"));
    const batch = await takeBatch(deps.db, { now: 1000, limit: 200 });
    expect(batch).toHaveLength(1);
    await editAnnotation(deps, row.id, { text: "second" });
    const rows = await outboxFor(deps.db, row.id);
    expect(rows.map((r) => r.mutation.type)).toEqual(["annotation.create", "annotation.edit"]);
    const edit = rows[1]?.mutation;
    expect(edit?.type === "annotation.edit" && edit.baseRevision).toBe(null);
    const create = rows[0]?.mutation;
    expect(create?.type === "annotation.create" && create.annotation.text).toBe("first");
  });

  it("S3: consecutive unsent edits of a synced item fold into one edit", async () => {
    const deps = setup();
    const row = await createAnnotation(deps, newComment("p1", "first"));
    await deps.db.outbox.clear();
    await deps.db.annotations.update(row.id, {
      server: { ...fakeServerCopy(row.id), revision: 4 },
      local: null,
      syncState: "synced",
    });
    await editAnnotation(deps, row.id, { text: "a" });
    await editAnnotation(deps, row.id, { stance: "support" });
    const rows = await deps.db.outbox.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.mutation).toMatchObject({
      type: "annotation.edit",
      baseRevision: 4,
      patch: { text: "a", stance: "support" },
    });
  });

  it("withdrawing an unsent create drops it: nothing ever reaches the service", async () => {
    const deps = setup();
    const row = await createAnnotation(deps, newComment("p1", "oops"));
    expect(await withdrawAnnotation(deps, row.id)).toBe(null);
    expect(await deps.db.annotations.count()).toBe(0);
    expect(await deps.db.outbox.count()).toBe(0);
  });

  it("withdrawing turns an unsent edit into the withdraw; editing a withdrawn item is refused", async () => {
    const deps = setup();
    const row = await createAnnotation(deps, newComment("p1", "x"));
    await deps.db.outbox.clear();
    await deps.db.annotations.update(row.id, { server: fakeServerCopy(row.id), local: null });
    await editAnnotation(deps, row.id, { text: "y" });
    await withdrawAnnotation(deps, row.id);
    const rows = await deps.db.outbox.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.mutation).toMatchObject({ type: "annotation.withdraw", baseRevision: 1 });
    await expect(editAnnotation(deps, row.id, { text: "z" })).rejects.toBeInstanceOf(StoreError);
  });

  it("endorsements: a later unsent choice replaces the earlier one", async () => {
    const deps = setup();
    const row = await createAnnotation(deps, newComment("p1", "x"));
    await setEndorsement(deps, row.id, "agree");
    await setEndorsement(deps, row.id, null);
    const rows = await outboxFor(deps.db, row.id, "endorsement");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.mutation).toMatchObject({ type: "endorsement.set", kind: null });
    expect((await deps.db.annotations.get(row.id))?.myEndorsement).toBe(null);
  });
});

function fakeServerCopy(id: string) {
  return {
    id,
    consultationId: null,
    target: {
      source: "https://x.test/a",
      selector: [{ type: "ParagraphSelector" as const, key: "p1" }],
    },
    paragraphKey: "p1",
    parentId: null,
    motivation: "commenting" as const,
    text: "x",
    suggestion: null,
    stance: "neutral" as const,
    author: {
      id: "0190b2f8-8c3a-4d3e-9f1a-2b3c4d5e6f70",
      displayName: "Lin",
      role: "citizen" as const,
    },
    created: "2025-01-01T00:00:00.000Z",
    modified: "2025-01-01T00:00:00.000Z",
    revision: 1,
    status: "visible" as const,
    hiddenReason: null,
    endorsements: { agree: 0, disagree: 0 },
    pointId: null,
  };
}
