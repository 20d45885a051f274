import { describe, expect, it } from "vitest";
import type { ItemView, PageState } from "./messages.ts";
import { applyUpdate, rowsChanged, withChanges } from "./page-updates.ts";

const item = (id: string, text = id) => ({ id, text }) as unknown as ItemView;
const ids = (items: readonly ItemView[]) => items.map((i) => i.id);

describe("page updates", () => {
  it("finds the rows that are not the very objects sent before, and the ones gone", () => {
    const a = { id: "a" };
    const b = { id: "b" };
    const c = { id: "c" };
    const sent = new Map([
      ["a", a],
      ["b", b],
      ["c", c],
    ]);
    const b2 = { id: "b" };
    const d = { id: "d" };
    const { changed, removed, now } = rowsChanged(sent, [a, b2, d]);
    expect(changed).toEqual([b2, d]);
    expect(changed[0]).toBe(b2);
    expect(removed).toEqual(["c"]);
    expect([...now.keys()]).toEqual(["a", "b", "d"]);
    expect(rowsChanged(now, [a, b2, d]).changed).toEqual([]);
  });

  it("replaces changed comments in place, adds new ones in id order, drops gone ones", () => {
    const [a, b, c] = [item("a"), item("b"), item("c")];
    const b2 = item("b", "edited");
    const next = withChanges([a, b, c], [b2, item("0"), item("bb")], ["c"]);
    expect(ids(next)).toEqual(["0", "a", "b", "bb"]);
    expect(next[1]).toBe(a);
    expect(next[2]).toBe(b2);
  });

  it("keeps the comment list itself when only the sync state, answers or notes change", () => {
    const state = {
      items: [item("a")],
      responses: [],
      carried: {},
      sync: { online: true },
      user: null,
    } as unknown as PageState;
    const synced = applyUpdate(state, { sync: { online: false } as PageState["sync"] });
    expect(synced.items).toBe(state.items);
    expect(synced.sync).toEqual({ online: false });
    const noted = applyUpdate(synced, { carried: { a: { status: "orphaned" } as never } });
    expect(noted.items).toBe(state.items);
    expect(Object.keys(noted.carried)).toEqual(["a"]);
    const changed = applyUpdate(noted, { changed: [item("b")], removed: [] });
    expect(ids(changed.items)).toEqual(["a", "b"]);
    expect(changed.sync).toEqual({ online: false });
  });
});
