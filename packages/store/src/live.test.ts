import "fake-indexeddb/auto";
import { effect } from "@preact/signals-core";
import { afterEach, describe, expect, it } from "vitest";
import { type MarginDb, openMarginDb } from "./db.ts";
import { liveItems } from "./live.ts";
import { createMarginStore } from "./store.ts";
import { CONSULTATION, newComment, SOURCE, testIds, until } from "./testing.ts";
import { zodChecks } from "./zod-checks.ts";

let n = 0;
const dbs: MarginDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe("live items", () => {
  it("shows each item with its sync state as the store changes, per scope and paragraph", async () => {
    const db = openMarginDb(`live-${n++}`);
    dbs.push(db);
    const store = createMarginStore({ db, now: () => 1, newId: testIds(), check: zodChecks });
    const all = liveItems(db, { consultation: CONSULTATION });
    const p2 = store.liveItems({ source: SOURCE }, "p2");
    const seen: number[] = [];
    const stop = effect(() => {
      seen.push(all.value.value.length);
    });
    const a = await store.create(newComment("p1", "one"));
    await store.create(newComment("p2", "two"));
    await until(() => all.value.value.length === 2 && p2.value.value.length === 1);
    expect(all.ready.value).toBe(true);
    expect(all.value.value.map((i) => [i.text, i.syncState])).toEqual([
      ["one", "pending"],
      ["two", "pending"],
    ]);
    expect(p2.value.value[0]?.text).toBe("two");
    await store.edit(a.id, { text: "one, edited" });
    await until(() => all.value.value[0]?.text === "one, edited");
    stop();
    all.dispose();
    p2.dispose();
    expect(seen.at(-1)).toBe(2);
  });
});
