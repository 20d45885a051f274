import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  contextSimilarity,
  editDistance,
  exactCandidates,
  forEachOccurrence,
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

describe("forEachOccurrence", () => {
  /** The plain indexOf loop over the whole text, as a reference. */
  function reference(text: string, pattern: string, from: number, to: number): number[] {
    const out: number[] = [];
    const stop = Math.min(to, text.length);
    for (let i = text.indexOf(pattern, Math.max(0, from)); i >= 0 && i < stop; ) {
      out.push(i);
      i = text.indexOf(pattern, i + 1);
    }
    return out;
  }

  it("finds the occurrences starting in the range, in order, as indexOf does", () => {
    const chars = fc.constantFrom("a", "b", "勞");
    const str = (max: number) => fc.array(chars, { maxLength: max }).map((c) => c.join(""));
    fc.assert(
      fc.property(
        str(200),
        str(5),
        fc.integer({ min: -5, max: 210 }),
        fc.nat(220),
        (text, pattern, from, span) => {
          fc.pre(pattern.length > 0);
          const got: number[] = [];
          forEachOccurrence(text, pattern, from, from + span, (i) => {
            got.push(i);
            return true;
          });
          expect(got).toEqual(reference(text, pattern, from, from + span));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("stops when the visitor says so", () => {
    const got: number[] = [];
    forEachOccurrence("abababab", "ab", 0, 8, (i) => got.push(i) < 2);
    expect(got).toEqual([0, 2]);
  });
});
