import { describe, expect, it } from "vitest";
import {
  contextSimilarity,
  editDistance,
  exactCandidates,
  fuzzyCandidates,
  isConfident,
} from "./match-quote.ts";

describe("match-quote", () => {
  it("edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("勞工權益", "勞工權利")).toBe(1);
  });

  it("context similarity", () => {
    const text = "xxprefixQUOTEsuffixyy";
    expect(
      contextSimilarity(text, 8, 13, { quote: "QUOTE", prefix: "prefix", suffix: "suffix" }),
    ).toBe(1);
    expect(contextSimilarity(text, 8, 13, { quote: "QUOTE", prefix: "", suffix: "" })).toBe(1);
    expect(
      contextSimilarity(text, 8, 13, { quote: "QUOTE", prefix: "zzzzzz", suffix: "suffix" }),
    ).toBe(0.5);
  });

  it("short exact quotes need their context", () => {
    const q = { quote: "勞工", prefix: "保障", suffix: "權益" };
    const [a, b] = exactCandidates("雇主勞工關係。保障勞工權益", q);
    expect(isConfident(a as any, 2)).toBe(false);
    expect(isConfident(b as any, 2)).toBe(true);
  });

  it("approximate matches carry their error rate", () => {
    const q = { quote: "promotesocialandeconomicdevelopment", prefix: "", suffix: "" };
    const [c] = fuzzyCandidates(
      "xxpromotesocialandeconomicdevelopmentxx".replace("economic", "econnomic"),
      q,
    );
    expect(c?.quoteSim).toBeCloseTo(1 - 1 / q.quote.length);
    expect(isConfident(c as any, q.quote.length)).toBe(true);
  });
});
