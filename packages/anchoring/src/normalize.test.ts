import { describe, expect, it } from "vitest";
import { foldText, foldWithMap, normalizeText } from "./normalize.ts";

describe("foldText", () => {
  it("drops whitespace and folds case", () => {
    expect(foldText("  The  Act\n is\tenacted ")).toBe("theactisenacted");
  });
  it("folds dashes, quotes and full-width forms", () => {
    expect(foldText("2024–0004 — “x” ‘y’")).toBe("2024-0004-\"x\"'y'");
    expect(foldText("勞工，雇主：（一）ＡＢＣ１２３")).toBe("勞工,雇主:(一)abc123");
  });
  it("drops invisible characters", () => {
    expect(foldText("co\u00ADoperate\u200B")).toBe("cooperate");
  });
});

describe("foldWithMap", () => {
  it("maps every folded unit back to its source span", () => {
    const src = "A  b\u2014Ｃ\n😀d";
    const f = foldWithMap(src);
    expect(f.text).toBe("ab-c😀d");
    for (let i = 0; i < f.text.length; i++) {
      const piece = src.slice(f.starts[i], f.ends[i]);
      expect(foldText(piece)).toContain(
        f.text[i] === "\ud83d" || f.text[i] === "\ude00" ? "😀" : f.text[i],
      );
    }
    expect(src.slice(f.starts[0], f.ends[f.text.length - 1])).toBe("A  b\u2014Ｃ\n😀d");
  });
  it("agrees with foldText", () => {
    const s = "第 1 條　為規定勞動條件最低標準，保障勞工權益";
    expect(foldWithMap(s).text).toBe(foldText(s));
  });
});

describe("normalizeText", () => {
  it("collapses whitespace and keeps case", () => {
    expect(normalizeText("  The\n\n Act – “here” ")).toBe('The Act - "here"');
  });
});
