/** Retry timing: exponential backoff with full jitter, and Retry-After parsing. */

export interface BackoffOptions {
  /** First ceiling, in ms (default 1 s). */
  baseMs?: number;
  /** Largest ceiling, in ms (default 5 min). */
  maxMs?: number;
}

/**
 * Full jitter (S7): a delay drawn uniformly from [0, min(max, base·2^attempt)).
 * `attempt` counts failures so far, starting at 0; `random` returns [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  opts: BackoffOptions = {},
): number {
  const base = opts.baseMs ?? 1000;
  const max = opts.maxMs ?? 5 * 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date; returns ms from `now`, or null. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
