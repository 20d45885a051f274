import approxStringMatch from "approx-string-match";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approxSearch, searchPattern } from "./myers.ts";

// A small alphabet (with a CJK character) so that random patterns do occur, approximately, in
// random texts; lengths up to 100 so that patterns span several 32-character blocks.
const alphabet = fc.constantFrom("a", "b", "c", "d", "勞", " ");
const str = (maxLength: number) => fc.array(alphabet, { maxLength }).map((chars) => chars.join(""));

describe("approxSearch", () => {
  it("finds what approx-string-match finds in the same window", () => {
    fc.assert(
      fc.property(
        str(300),
        str(100),
        fc.nat(40),
        fc.nat(300),
        fc.nat(300),
        (text, pattern, k, x, y) => {
          const from = Math.min(x, y);
          const to = Math.max(x, y);
          const expected = approxStringMatch(text.slice(from, to), pattern, k).map((m) => ({
            start: m.start + from,
            end: m.end + from,
            errors: m.errors,
          }));
          expect(approxSearch(text, searchPattern(pattern), k, from, to)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("finds patterns planted with edits", () => {
    fc.assert(
      fc.property(str(200), str(200), str(80), fc.nat(79), (before, after, pattern, cut) => {
        // The pattern with one character dropped, between random text.
        const planted = pattern.slice(0, cut) + pattern.slice(cut + 1);
        const text = before + planted + after;
        const k = 1;
        const got = approxSearch(text, searchPattern(pattern), k);
        expect(got).toEqual(approxStringMatch(text, pattern, k));
        if (pattern.length > 0) expect(got.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it("reports offsets into the whole text", () => {
    const text = "xxxxpromotesocialandeconnomicdevelopmentxxxx";
    const [m] = approxSearch(text, searchPattern("socialandeconomic"), 2, 4, 40);
    expect(m).toEqual({ start: 11, end: 29, errors: 1 });
  });
});
