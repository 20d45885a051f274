import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mapParagraphs, type Para } from "./paragraph-map.ts";

/** The Labor Standards Act's paragraphs, straight from the corpus page: one <p> each. */
function laborParagraphs(): Para[] {
  const html = readFileSync(
    new URL("../../demo/fixtures/tw-labor-standards-act.zh.html", import.meta.url),
    "utf8",
  );
  const out: Para[] = [];
  for (const m of html.matchAll(/<section class="article" id="(art-[^"]+)">(.*?)<\/section>/gs)) {
    const ps = [...(m[2] as string).matchAll(/<p>(.*?)<\/p>/gs)];
    for (const [i, p] of ps.entries()) out.push({ key: `${m[1]}.p${i + 1}`, text: p[1] as string });
  }
  return out;
}

describe("mapParagraphs on the Labor Standards Act, revised in the test", () => {
  const v1 = laborParagraphs();
  const at = (key: string) => v1.find((p) => p.key === key) as Para;

  it("has real material to work on", () => {
    expect(v1.length).toBeGreaterThan(200);
  });

  it("finds every paragraph unchanged when nothing changed, whatever the keys", () => {
    const m = mapParagraphs(
      v1,
      v1.map((p, i) => ({ key: `n${i}`, text: ` ${p.text}  ` })),
    );
    expect([...m.old.values()].every((f) => f.kind === "unchanged")).toBe(true);
    expect(m.added).toEqual([]);
  });

  it("tells each kind of revision apart", () => {
    const v2: Para[] = [];
    for (const p of v1) {
      if (p.key === "art-1.p1") {
        // An article inserted above and renumbering do not disturb the rest.
        v2.push({
          key: "new-art.p1",
          text: "為保障平台工作者權益，中央主管機關應另定辦法規範之。",
        });
      }
      if (p.key === "art-3.p1") continue; // removed
      if (p.key === "art-5.p1") {
        v2.push({
          key: p.key,
          text: p.text.replace("強制勞工從事勞動", "以任何方式強制勞工從事勞動"),
        }); // reworded
        continue;
      }
      if (p.key === "art-9.p1") {
        const mid = Math.floor(p.text.length / 2);
        v2.push(
          { key: "art-9.p1a", text: p.text.slice(0, mid) },
          { key: "art-9.p1b", text: p.text.slice(mid) },
        ); // split
        continue;
      }
      if (p.key === "art-12.p2") continue; // merged into the next line below
      if (p.key === "art-12.p3") {
        v2.push({ key: "art-12.p2+3", text: `${at("art-12.p2").text}${p.text}` });
        continue;
      }
      if (p.key === "art-7.p1") continue; // moved to the end
      v2.push({ ...p, text: p.text.replaceAll("—", "-") });
    }
    v2.push(at("art-7.p1"));

    const m = mapParagraphs(v1, v2);
    expect(m.old.get("art-1.p1")).toEqual({ kind: "unchanged", to: "art-1.p1" });
    expect(m.old.get("art-3.p1")).toEqual({ kind: "removed" });
    expect(m.old.get("art-5.p1")).toMatchObject({ kind: "edited", to: "art-5.p1" });
    expect(m.old.get("art-9.p1")).toEqual({ kind: "split", to: ["art-9.p1a", "art-9.p1b"] });
    expect(m.old.get("art-12.p2")).toEqual({ kind: "merged", to: "art-12.p2+3" });
    expect(m.old.get("art-12.p3")).toEqual({ kind: "merged", to: "art-12.p2+3" });
    expect(m.old.get("art-7.p1")).toEqual({ kind: "moved", to: "art-7.p1" });
    expect(m.added).toEqual(["new-art.p1"]);
    const counts = new Map<string, number>();
    for (const f of m.old.values()) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    expect(counts.get("removed")).toBe(1);
    expect(counts.get("moved")).toBe(1);
    expect(counts.get("edited")).toBe(1);
    expect(counts.get("unchanged")).toBe(v1.length - 6);
  });

  it("treats English rewording with changed punctuation as an edit, not a new paragraph", () => {
    const a = [
      {
        key: "a",
        text: "The employer shall pay wages in full — no later than the fifth day of each month.",
      },
    ];
    const b = [
      {
        key: "a",
        text: "The employer shall pay wages in full - no later than the third day of each month.",
      },
    ];
    expect(mapParagraphs(a, b).old.get("a")).toMatchObject({ kind: "edited", to: "a" });
  });
});
