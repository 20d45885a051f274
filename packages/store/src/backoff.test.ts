import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "./backoff.ts";

describe("backoff (S7)", () => {
  it("S7: full jitter draws from [0, min(max, base·2^attempt))", () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, top))).toEqual([999, 1999, 3999, 7999]);
    expect(backoffDelay(5, () => 0)).toBe(0);
    expect(backoffDelay(40, top, { maxMs: 10_000 })).toBe(9999);
    expect(backoffDelay(2, () => 0.25, { baseMs: 200 })).toBe(200);
  });

  it("S7: Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBe(null);
    expect(parseRetryAfter(null, now)).toBe(null);
  });
});
