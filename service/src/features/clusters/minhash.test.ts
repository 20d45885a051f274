import { describe, expect, it } from "vitest";
import {
  candidateProbability,
  createMinHasher,
  decodeUint32,
  encodeUint32,
  estimateJaccard,
  toInt32,
} from "./minhash.ts";
import { jaccard, toShingleSet } from "./text-features.ts";

function randomSet(n: number, seed: number, offset = 0): Uint32Array {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s ^ offset) >>> 0);
  }
  return toShingleSet(out);
}

describe("MinHash", () => {
  const hasher = createMinHasher();

  it("is deterministic across hasher instances", () => {
    const set = randomSet(300, 7);
    expect(createMinHasher().signature(set)).toEqual(hasher.signature(set));
    expect(createMinHasher({ seed: 1 }).signature(set)).not.toEqual(hasher.signature(set));
  });

  it("estimates Jaccard similarity within a few points", () => {
    const base = Array.from(randomSet(1000, 1));
    for (const keep of [100, 300, 500, 700, 900]) {
      const a = toShingleSet(base);
      const b = toShingleSet([...base.slice(0, keep), ...randomSet(1000 - keep, 99)]);
      const exact = jaccard(a, b);
      const est = estimateJaccard(hasher.signature(a), hasher.signature(b));
      expect(Math.abs(est - exact)).toBeLessThan(0.12);
    }
  });

  it("bands equal signatures equally, and a band hash depends on its index", () => {
    const sig = hasher.signature(randomSet(50, 3));
    const bands = hasher.bands(sig);
    expect(bands.length).toBe(hasher.params.bands);
    expect(hasher.bands(sig)).toEqual(bands);
    const same = new Uint32Array(128).fill(42);
    const b = hasher.bands(same);
    expect(new Set(b).size).toBe(b.length);
  });

  it("rejects inconsistent parameters", () => {
    expect(() => createMinHasher({ numHashes: 128, bands: 30, rows: 4 })).toThrow();
  });

  it("encodes signatures compactly and losslessly", () => {
    const sig = hasher.signature(randomSet(20, 5));
    const enc = encodeUint32(sig);
    expect(enc.length).toBe(Math.ceil((128 * 4) / 3) * 4);
    expect(decodeUint32(enc)).toEqual(sig);
    expect(toInt32(0xffffffff)).toBe(-1);
  });

  it("has an S-curve that catches form letters and skips unrelated text", () => {
    const { bands, rows } = hasher.params;
    expect(candidateProbability(0.3, bands, rows)).toBeGreaterThan(0.99);
    expect(candidateProbability(0.02, bands, rows)).toBeLessThan(0.05);
  });
});
