import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { type MarginDb, openMarginDb } from "./db.ts";
import { clearDraft, draftKey, loadDraft, saveDraftDebounced } from "./drafts.ts";
import { manualScheduler } from "./testing.ts";

let n = 0;
const dbs: MarginDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe("drafts (S13)", () => {
  it("S13: saves what is typed once the person pauses, only the last text", async () => {
    const db = openMarginDb(`drafts-${n++}`);
    dbs.push(db);
    const scheduler = manualScheduler();
    const drafts = saveDraftDebounced(db, { scheduler, now: () => 42 });
    const key = draftKey({ scope: { consultation: "c1" }, paragraphKey: "art-3" });
    expect(key).toBe("new:consultation:c1#art-3");
    drafts.save(key, { text: "T" });
    drafts.save(key, { text: "Th" });
    drafts.save(key, { text: "This is" });
    expect(scheduler.pending().map((t) => t.ms)).toEqual([400]);
    expect(await loadDraft(db, key)).toBeUndefined();
    scheduler.runNext();
    await drafts.flush();
    expect(await loadDraft(db, key)).toEqual({ key, text: "This is", updatedAt: 42 });
    await clearDraft(db, key);
    expect(await loadDraft(db, key)).toBeUndefined();
  });

  it("S13: flush writes a draft at once (on blur or page hide), and survives reopening", async () => {
    const name = `drafts-${n++}`;
    const db = openMarginDb(name);
    const drafts = saveDraftDebounced(db, { scheduler: manualScheduler() });
    drafts.save(draftKey({ annotationId: "a1" }), { text: "half a thought", stance: "oppose" });
    await drafts.dispose();
    db.close();
    const again = openMarginDb(name);
    dbs.push(again);
    expect(await loadDraft(again, "edit:a1")).toMatchObject({
      text: "half a thought",
      stance: "oppose",
    });
  });
});
