import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClusterIndex } from "./cluster-index.ts";

const VOCAB = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x${(i * 7919) % 997}`);
const word = fc.oneof(
  fc.constantFrom(...VOCAB),
  fc.constantFrom("Uber", "計程車", "司機", "我覺得", "providers", "Sex", "Straße", "ÉTÉ"),
);
const sentence = fc.array(word, { minLength: 1, maxLength: 40 }).map((w) => w.join(" "));
const whitespace = fc.constantFrom(" ", "  ", "\t", "\n", " \n ", "\u00a0", "\u3000");

/** The same text with its spaces replaced by other whitespace and its case changed. */
function respace(text: string, spaces: string[], mode: number): string {
  let i = 0;
  const spaced = text.replace(/ /g, () => spaces[i++ % spaces.length] as string);
  const cased = mode === 0 ? spaced.toUpperCase() : mode === 1 ? spaced.toLowerCase() : spaced;
  return `${spaces[0]}${cased}${spaces[1] ?? ""}`;
}

describe("ClusterIndex properties", () => {
  it("a text and the same text with whitespace/case changes land in the same cluster", () => {
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 0, maxLength: 8 }),
        sentence,
        fc.array(whitespace, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.string(),
        (others, text, spaces, mode, junk) => {
          const index = new ClusterIndex();
          others.forEach((t, i) => {
            index.add({ id: `o${i}`, text: t, paragraphKey: null });
          });
          index.add({ id: "junk", text: junk, paragraphKey: null });
          const a = index.add({ id: "a", text, paragraphKey: null });
          const b = index.add({ id: "b", text: respace(text, spaces, mode), paragraphKey: null });
          expect(b).toBe(a);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("arbitrary strings: a text and its respaced/recased copy land together", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 0, max: 2 }), (text, mode) => {
        const index = new ClusterIndex();
        const a = index.add({ id: "a", text, paragraphKey: null });
        expect(
          index.add({ id: "b", text: respace(text, [" \t", "\n"], mode), paragraphKey: null }),
        ).toBe(a);
      }),
      { numRuns: 300 },
    );
  });

  // Near-duplicate folding is greedy, so which similar texts end up together may depend on
  // arrival order; what must not is that copies of one text always share one cluster.
  it("exact duplicates: every copy of a text lands in one cluster, in any insertion order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          sentence.filter((s) => s.split(" ").length >= 12),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        (distinct, picks, keys) => {
          const items = picks.map((p, i) => ({
            id: `c${i}`,
            text: distinct[p % distinct.length] as string,
            paragraphKey: null,
          }));
          const permuted = items
            .map((item, i) => ({ item, k: keys[i] ?? 0 }))
            .sort((x, y) => x.k - y.k)
            .map((x) => x.item);
          for (const order of [items, permuted]) {
            const index = new ClusterIndex();
            for (const item of order) index.add(item);
            const clusterOfText = new Map<string, Set<string>>();
            for (const item of items) {
              const set = clusterOfText.get(item.text) ?? new Set();
              set.add(index.clusterOf(item.id) as string);
              clusterOfText.set(item.text, set);
            }
            for (const set of clusterOfText.values()) expect(set.size).toBe(1);
            expect(index.clusterCount).toBeLessThanOrEqual(new Set(distinct).size);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
