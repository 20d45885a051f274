import { describe, expect, it } from "vitest";
import { ClusterIndex } from "./cluster-index.ts";
import { applyOverrides, type ClusterOverride, groupAssignments } from "./overrides.ts";

const letter =
  "Please keep the biological sex of providers in the directory. Patients have the right to clear and accurate knowledge about the sex of their chosen providers, and many women choose a provider on that basis.";
const other =
  "The directory should publish provider office hours and accessibility information for wheelchair users, updated at least monthly by the provider.";
const third =
  "Telemedicine providers should be listed with the states where they are licensed, so rural patients can find them across state lines.";

const comments = [
  { id: "c1", text: letter },
  { id: "c2", text: `${letter} Thank you.` },
  { id: "c3", text: other },
  { id: "c4", text: `${other} Thanks!` },
  { id: "c5", text: third },
  { id: "c6", text: letter.toUpperCase() },
];

function partition(assignments: Map<string, string>): string[][] {
  return [...groupAssignments(assignments).values()].map((g) => [...g].sort()).sort();
}

function compute(order: typeof comments): Map<string, string> {
  const index = new ClusterIndex();
  for (const c of order) index.add({ ...c, paragraphKey: null });
  return index.assignments();
}

describe("applyOverrides", () => {
  it("merges and splits in order", () => {
    const computed = compute(comments);
    expect(partition(computed)).toEqual([["c1", "c2", "c6"], ["c3", "c4"], ["c5"]]);
    const overrides: ClusterOverride[] = [
      { type: "merge", from: "c5", into: "c3" },
      { type: "split", memberId: "c2" },
    ];
    const result = applyOverrides(computed, overrides);
    expect(partition(result)).toEqual([["c1", "c6"], ["c2"], ["c3", "c4", "c5"]]);
    expect(result.get("c5")).toBe("c3");
    expect(result.get("c2")).toBe("c2");
  });

  it("gives the officials' result again after recomputation in another order", () => {
    const overrides: ClusterOverride[] = [
      { type: "merge", from: "c5", into: "c1" },
      { type: "split", memberId: "c1" },
    ];
    const officials = partition(applyOverrides(compute(comments), overrides));
    expect(officials).toEqual([["c1"], ["c2", "c5", "c6"], ["c3", "c4"]]);
    const recomputed = compute([...comments].reverse()); // other cluster ids: c6 first, etc.
    expect(partition(applyOverrides(recomputed, overrides))).toEqual(officials);
  });

  it("applies to comments that arrived after the override (they join the merged cluster)", () => {
    const overrides: ClusterOverride[] = [{ type: "merge", from: "c3", into: "c1" }];
    const later = [...comments, { id: "c7", text: `${other} I agree.` }];
    const result = applyOverrides(compute(later), overrides);
    expect(result.get("c7")).toBe("c1");
  });

  it("skips overrides about clusters or members that no longer exist, and accepts records", () => {
    const result = applyOverrides({ a: "a", b: "a" }, [
      { type: "merge", from: "zz", into: "a" },
      { type: "split", memberId: "yy" },
      { type: "merge", from: "a", into: "a" },
    ]);
    expect([...result]).toEqual([
      ["a", "a"],
      ["b", "a"],
    ]);
  });

  it("re-keys the rest of a cluster when its key member is split out", () => {
    const result = applyOverrides(
      new Map([
        ["a", "a"],
        ["b", "a"],
        ["c", "a"],
      ]),
      [{ type: "split", memberId: "a" }],
    );
    expect([...result]).toEqual([
      ["a", "a"],
      ["b", "b"],
      ["c", "b"],
    ]);
  });
});
