/**
 * MinHash signatures and LSH banding over shingle sets (see text-features.ts).
 *
 * A signature has `numHashes` values computed in one pass over the shingles (one permutation
 * hashing, see `signature`), with 32-bit integer arithmetic only. The same parameters always give
 * the same signatures, in any process, so signatures and band hashes can be stored (e.g. in
 * PostgreSQL) and compared later.
 */
import { Buffer } from "node:buffer";
import { fmix32 } from "./text-features.ts";

export interface MinHashParams {
  /** Number of hash functions (signature length). Must equal bands * rows. */
  numHashes: number;
  /** LSH bands. */
  bands: number;
  /** Rows (signature values) per band. */
  rows: number;
  /** Seed of the shingle hash. */
  seed: number;
}

/**
 * 128 hashes in 64 bands of 2 rows. Two rows per band make candidates likely down to a Jaccard
 * similarity of ~0.2 (P(candidate) = 1 - (1 - J^2)^64: 0.93 at J = 0.2, 0.9999 at J = 0.4), which
 * form letters with long personal additions or cut-down versions need; candidates are verified
 * exactly, so false candidates cost time, never correctness.
 */
export const DEFAULT_MINHASH_PARAMS: Readonly<MinHashParams> = Object.freeze({
  numHashes: 128,
  bands: 64,
  rows: 2,
  seed: 0x6d617267, // "marg"
});

export interface MinHasher {
  readonly params: Readonly<MinHashParams>;
  /** MinHash signature of a shingle set (all 0xffffffff for an empty set). */
  signature(shingleSet: Uint32Array): Uint32Array;
  /** One 32-bit hash per band (the band index is mixed in, so equal hashes imply equal bands). */
  bands(signature: Uint32Array): Uint32Array;
}

export function createMinHasher(params: Partial<MinHashParams> = {}): MinHasher {
  const p: MinHashParams = { ...DEFAULT_MINHASH_PARAMS, ...params };
  if (!Number.isInteger(p.numHashes) || p.numHashes <= 0) throw new Error("numHashes must be > 0");
  if (p.bands * p.rows !== p.numHashes) throw new Error("bands * rows must equal numHashes");
  const k = p.numHashes;
  const seed = fmix32(p.seed);
  const frozen = Object.freeze({ ...p });
  const filled = new Uint8Array(k);
  return {
    params: frozen,
    // One permutation hashing with rotation densification (Li, Owen & Zhang 2012; Shrivastava &
    // Li 2014): each shingle is hashed once and lands in one of k bins, instead of k hashes per
    // shingle. Same estimator (P[equal bin] = Jaccard), k times less work.
    signature(shingleSet: Uint32Array): Uint32Array {
      const sig = new Uint32Array(k).fill(0xffffffff);
      filled.fill(0);
      const n = shingleSet.length;
      for (let s = 0; s < n; s++) {
        const h = fmix32((shingleSet[s] as number) ^ seed);
        const bin = h % k;
        const value = fmix32(h ^ 0x9e3779b9);
        if (filled[bin] === 0 || value < (sig[bin] as number)) {
          sig[bin] = value;
          filled[bin] = 1;
        }
      }
      if (n === 0) return sig;
      for (let i = 0; i < k; i++) {
        if (filled[i] === 1) continue;
        // An empty bin borrows from the next filled one to its right, marked by the distance, so
        // two sets agree on it exactly when they agree on that bin.
        let j = i;
        let distance = 0;
        do {
          j = j + 1 === k ? 0 : j + 1;
          distance++;
        } while (filled[j] === 0);
        sig[i] = fmix32(((sig[j] as number) + Math.imul(distance, 0x85ebca6b)) >>> 0);
      }
      return sig;
    },
    bands(signature: Uint32Array): Uint32Array {
      if (signature.length !== k) throw new Error(`signature must have ${k} values`);
      const out = new Uint32Array(p.bands);
      for (let band = 0; band < p.bands; band++) {
        let h = Math.imul(band + 1, 0x9e3779b1) ^ p.seed;
        for (let r = 0; r < p.rows; r++) {
          h = Math.imul(h ^ (signature[band * p.rows + r] as number), 0x01000193);
          h = fmix32(h);
        }
        out[band] = h;
      }
      return out;
    },
  };
}

/** Fraction of equal positions: an unbiased estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new Error("signatures of different lengths");
  if (a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Probability that two sets with Jaccard similarity `j` share at least one band. */
export function candidateProbability(j: number, bands: number, rows: number): number {
  return 1 - (1 - j ** rows) ** bands;
}

/** Compact, JSON-able form of a signature or shingle set: base64 of little-endian uint32s. */
export function encodeUint32(values: Uint32Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeUInt32LE(values[i] as number, i * 4);
  return bytes.toString("base64");
}

export function decodeUint32(encoded: string): Uint32Array {
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.length % 4 !== 0) throw new Error("not a base64 uint32 array");
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32LE(i * 4);
  return out;
}

/** A band hash as a signed 32-bit integer, for a PostgreSQL `integer` column. */
export function toInt32(bandHash: number): number {
  return bandHash | 0;
}
