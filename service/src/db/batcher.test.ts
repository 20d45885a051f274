import { describe, expect, it } from "vitest";
import { batcher, perDb } from "./batcher.ts";

const tick = () => new Promise((r) => setImmediate(r));

describe("batcher", () => {
  it("sends one item alone at once, and gathers what arrives while a batch is out", async () => {
    const seen: number[][] = [];
    let release: () => void = () => {};
    const double = batcher(
      async (items: number[]) => {
        seen.push(items);
        if (seen.length === 1) await new Promise<void>((r) => (release = r));
        return items.map((n) => n * 2);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const first = double(1);
    await tick();
    expect(seen).toEqual([[1]]);
    const later = [double(2), double(3), double(4)];
    await tick();
    expect(seen).toHaveLength(1);
    release();
    expect(await first).toBe(2);
    expect(await Promise.all(later)).toEqual([4, 6, 8]);
    expect(seen).toEqual([[1], [2, 3, 4]]);
  });

  it("keeps batches within maxBatch and maxInFlight", async () => {
    const seen: number[][] = [];
    let out = 0;
    let most = 0;
    const echo = batcher(
      async (items: number[]) => {
        seen.push(items);
        most = Math.max(most, ++out);
        await tick();
        out--;
        return items;
      },
      { maxBatch: 3, maxInFlight: 2 },
    );
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => echo(i)));
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.every((b) => b.length <= 3)).toBe(true);
    expect(seen.flat()).toEqual(all);
    expect(most).toBe(2);
  });

  it("tries a batch that throws again item by item, so a bad item fails alone", async () => {
    const seen: string[][] = [];
    const picky = batcher(
      async (items: string[]) => {
        seen.push(items);
        if (items.includes("bad")) throw new Error("bad input");
        return items.map((s) => s.toUpperCase());
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const answers = await Promise.allSettled([picky("a"), picky("bad"), picky("c")]);
    expect(answers.map((a) => (a.status === "fulfilled" ? a.value : String(a.reason)))).toEqual([
      "A",
      "Error: bad input",
      "C",
    ]);
    expect(seen).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
  });

  it("refuses an answer with the wrong number of results", async () => {
    const none = batcher(async (_items: number[]) => [], { maxBatch: 10, maxInFlight: 1 });
    await expect(none(1)).rejects.toThrow("a batch of 1 got 0 results");
  });
});

describe("perDb", () => {
  it("makes one per handle, on first use", () => {
    let made = 0;
    const of = perDb((_db: object) => ({ n: ++made }));
    const a = {};
    expect(of(a)).toBe(of(a));
    expect(of({})).not.toBe(of(a));
    expect(made).toBe(2);
  });
});
