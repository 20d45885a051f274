import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildGramIndex, forEachOccurrence } from "./gram-index.ts";

/** A visitor that collects every position. */
function collect(into: number[]): (i: number) => boolean {
  return (i) => {
    into.push(i);
    return true;
  };
}

/** A text long enough for the index to be used, from a small alphabet so that patterns recur. */
function randomText(seed: number, length: number, alphabet: string): string {
  let s = seed >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out += alphabet[s % alphabet.length];
  }
  return out;
}

function withIndexOf(text: string, pattern: string, from: number, to: number): number[] {
  const out: number[] = [];
  const stop = Math.min(to, text.length);
  for (let i = text.indexOf(pattern, Math.max(0, from)); i >= 0 && i < stop; ) {
    out.push(i);
    i = text.indexOf(pattern, i + 1);
  }
  return out;
}

describe("forEachOccurrence", () => {
  const texts = [randomText(1, 70_000, "abc"), randomText(2, 50_000, "勞工權益ab")];
  const indexes = texts.map(buildGramIndex);

  it("finds exactly what indexOf finds, in the same order", () => {
    fc.assert(
      fc.property(
        fc.nat(1),
        fc.nat(69_990),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -10, max: 70_000 }),
        fc.integer({ min: 0, max: 80_000 }),
        (t, at, length, from, span) => {
          const text = texts[t] as string;
          // Patterns taken from the text (so they occur) or changed by one character.
          let pattern = text.slice(at, at + length);
          if (length % 3 === 0) pattern = `${pattern.slice(1)}z`;
          fc.pre(pattern.length > 0);
          const to = from + span;
          const got: number[] = [];
          forEachOccurrence(text, pattern, from, to, collect(got), indexes[t]);
          expect(got).toEqual(withIndexOf(text, pattern, from, to));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stops when the visitor says so", () => {
    const text = texts[0] as string;
    const got: number[] = [];
    forEachOccurrence(text, "abca", 0, text.length, (i) => got.push(i) < 3, indexes[0]);
    expect(got).toEqual(withIndexOf(text, "abca", 0, text.length).slice(0, 3));
  });

  it("falls back to indexOf for another text", () => {
    const got: number[] = [];
    forEachOccurrence("xxabcabc", "abc", 0, 8, collect(got), indexes[0]);
    expect(got).toEqual([2, 5]);
  });
});
