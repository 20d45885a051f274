import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  foldCodePoint,
  foldText,
  foldWithMap,
  foldWithMapSteps,
  normalizeText,
  unitsToString,
} from "./normalize.ts";

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
  it("agrees with folding code point by code point, on any text", () => {
    // Mixed scripts, whitespace, astral characters, lone surrogates and characters NFKC expands.
    const char = fc.oneof(
      fc.string({ unit: "grapheme-composite", maxLength: 3 }),
      fc.constantFrom(" ", "\n", "\u00AD", "–", "，", "Ａ", "⑴", "ﬁ", "😀", "\ud800", "勞"),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 60 }), (chars) => {
        const s = chars.join("");
        const f = foldWithMap(s);
        let expected = "";
        const spans: [number, number][] = [];
        for (let i = 0; i < s.length; ) {
          const width = (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
          const folded = foldCodePoint(s.slice(i, i + width));
          expected += folded;
          for (let k = 0; k < folded.length; k++) spans.push([i, i + width]);
          i += width;
        }
        expect(f.text).toBe(expected);
        expect(f.text).toBe(foldText(s));
        expect([...f.starts]).toEqual(spans.map((x) => x[0]));
        expect([...f.ends]).toEqual(spans.map((x) => x[1]));
      }),
    );
  });
  it("folds a page-sized text in steps to the same result", () => {
    const s = "第 1 條　為規定勞動條件最低標準 — The ACT ⑴ ".repeat(1000);
    const steps = foldWithMapSteps(s);
    let step = steps.next();
    let pauses = 0;
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBeGreaterThan(1);
    const whole = foldWithMap(s);
    expect(step.value.text).toBe(whole.text);
    expect(step.value.starts).toEqual(whole.starts);
  });
  it("agrees with foldText", () => {
    const s = "第 1 條　為規定勞動條件最低標準，保障勞工權益";
    expect(foldWithMap(s).text).toBe(foldText(s));
  });
});

describe("unitsToString", () => {
  it("is String.fromCharCode over the units, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }), (codes) => {
        expect(unitsToString(Uint16Array.from(codes))).toBe(String.fromCharCode(...codes));
      }),
    );
  });
});

describe("normalizeText", () => {
  it("collapses whitespace and keeps case", () => {
    expect(normalizeText("  The\n\n Act – “here” ")).toBe('The Act - "here"');
  });
});
