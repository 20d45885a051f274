import { describe, expect, it } from "vitest";
import { type Found, keptPlaces, type Placeable, toAnchor } from "./anchor-cache.ts";

const quote = (exact: string) => [{ type: "TextQuoteSelector" as const, exact }];
const item = (id: string, exact: string): Placeable => ({ id, selectors: quote(exact) });

describe("anchor cache", () => {
  it("looks for every comment the first time", () => {
    const placed = [item("a", "wage"), item("b", "hours")];
    expect(toAnchor(placed, new Map()).map((l) => l.item.id)).toEqual(["a", "b"]);
  });

  it("looks again only for new comments and ones whose selectors changed", () => {
    const first = [item("a", "wage"), item("b", "hours"), item("c", "leave")];
    const looked = toAnchor(first, new Map());
    const found = keptPlaces(first, new Map(), looked, ["A", null, "C"]);
    // The next list: a +1 on a (nothing to look for), b edited onto other words, d new.
    const next = [item("a", "wage"), item("b", "overtime"), item("c", "leave"), item("d", "pay")];
    const again = toAnchor(next, found);
    expect(again.map((l) => l.item.id)).toEqual(["b", "d"]);
    const after = keptPlaces(next, found, again, ["B", "D"]);
    expect([...after].map(([id, f]) => [id, f.range])).toEqual([
      ["b", "B"],
      ["d", "D"],
      ["a", "A"],
      ["c", "C"],
    ]);
  });

  it("keeps orphans known (not looked for again) and forgets comments no longer listed", () => {
    const first = [item("a", "gone words"), item("b", "hours")];
    const found: Map<string, Found<string>> = keptPlaces(
      first,
      new Map(),
      toAnchor(first, new Map()),
      [null, "B"],
    );
    expect(toAnchor(first, found)).toEqual([]);
    const withdrawn = [item("a", "gone words")];
    const kept = keptPlaces(withdrawn, found, toAnchor(withdrawn, found), []);
    expect([...kept.keys()]).toEqual(["a"]);
    expect(kept.get("a")?.range).toBeNull();
  });
});
