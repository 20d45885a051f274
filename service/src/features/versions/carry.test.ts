import { describe, expect, it } from "vitest";
import { carryAnnotations } from "./carry.ts";
import { mapParagraphs } from "./paragraph-map.ts";

describe("carryAnnotations", () => {
  const v1 = [
    { key: "a1", text: "雇主延長勞工之工作時間連同正常工作時間，一日不得超過十二小時。" },
    { key: "a2", text: "延長之工作時間，一個月不得超過四十六小時。" },
    { key: "a3", text: "本法自公布日施行。" },
  ];
  const v2 = [
    { key: "b0", text: "新增條文：平台工作者準用本法。" },
    { key: "b1", text: "雇主延長勞工之工作時間連同正常工作時間，一日不得超過十二小時。" },
    { key: "b2", text: "延長之工作時間，一個月不得超過三十六小時。" },
  ];
  const map = mapParagraphs(v1, v2);

  it("follows words that are still there, flags reworded text with both versions, and orphans the rest", () => {
    const out = carryAnnotations(v1, v2, map, [
      { id: "x1", paragraphKey: "a1", quote: "一日不得超過十二小時" },
      { id: "x2", paragraphKey: "a2", quote: "四十六小時" },
      { id: "x3", paragraphKey: "a3", quote: "公布日施行" },
      { id: "x4", paragraphKey: "a2", quote: "延長之工作時間" },
      { id: "x5", paragraphKey: null, quote: "準用本法" },
    ]);
    expect(out.map((c) => [c.annotationId, c.status, c.paragraphKey])).toEqual([
      ["x1", "intact", "b1"],
      ["x2", "changed", "b2"],
      ["x3", "orphaned", null],
      ["x4", "intact", "b2"],
      ["x5", "intact", "b0"],
    ]);
    expect(out[1]).toMatchObject({ oldText: v1[1]?.text, newText: v2[2]?.text });
    expect(out[2]?.oldText).toBe("本法自公布日施行。");
    expect(out).toHaveLength(5);
  });

  it("never moves a comment to the same words in another paragraph while its own paragraph lives on", () => {
    const before = [
      { key: "a", text: "Wages shall meet the minimum set by the authority." },
      { key: "b", text: "The minimum age of workers is fifteen." },
    ];
    const after = [
      { key: "a", text: "Wages shall meet the basic level set by the authority." },
      { key: "b", text: "The minimum age of workers is fifteen." },
    ];
    const [c] = carryAnnotations(before, after, mapParagraphs(before, after), [
      { id: "x", paragraphKey: "a", quote: "minimum" },
    ]);
    expect(c).toMatchObject({ status: "changed", paragraphKey: "a" });
  });
});
