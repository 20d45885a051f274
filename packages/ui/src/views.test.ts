import { describe, expect, it } from "vitest";
import { type ItemView, repliesByParent } from "./views.ts";

const item = (id: string, parentId: string | null) => ({ id, parentId }) as ItemView;

describe("repliesByParent", () => {
  it("lists each comment's replies in the list's order, and nothing for the rest", () => {
    const list = [
      item("a", null),
      item("r1", "a"),
      item("b", null),
      item("r2", "b"),
      item("r3", "a"),
    ];
    const replies = repliesByParent(list);
    expect(replies.get("a")?.map((r) => r.id)).toEqual(["r1", "r3"]);
    expect(replies.get("b")?.map((r) => r.id)).toEqual(["r2"]);
    expect(replies.has("r1")).toBe(false);
    expect([...replies.keys()]).toEqual(["a", "b"]);
  });
});
