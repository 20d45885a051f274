import { getConnInfo } from "@hono/node-server/conninfo";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../../db/connect.ts";
import type { AppEnv, AuthUser, Ctx } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { limitsOf } from "./limits.ts";
import { clearKey, hits as countHits, type Hit, sweepExpired } from "./rate-limits.repository.ts";
import { accountKey, writeAdmission } from "./write-admission.ts";

/**
 * The caller's address: the socket's, or with `trustProxy` = n, the n-th
 * address from the right of X-Forwarded-For (the one the outermost trusted
 * proxy saw), since everything left of it is whatever the client claimed.
 */
export function clientIp(c: Ctx): string {
  const hops = limitsOf(c.get("deps")).trustProxy;
  if (hops > 0) {
    const chain = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const claimed = chain[chain.length - hops];
    if (claimed) return claimed.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // not served over a socket (app.request in unit tests)
  }
}

export function rateLimited(what: string, resetsAt: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
  return new AppError("rate_limited", `too many ${what}; try again in ${seconds} s`, undefined, {
    "Retry-After": String(seconds),
  });
}

/** Ended windows are deleted at most once per window length by each instance. */
const lastSweep = new WeakMap<Db, number>();
async function sweepNow(db: Db, now: Date, everyMs: number) {
  const last = lastSweep.get(db) ?? 0;
  if (Math.abs(now.getTime() - last) < everyMs) return;
  lastSweep.set(db, now.getTime());
  await sweepExpired(db, now);
}

/**
 * Every write under /v1 is admitted here: its bearer (if any) is checked and
 * it counts against its address and its account, in one statement shared with
 * the writes that arrive with it (write-admission.ts). Returns who sent it;
 * throws 401 for a token that is not a live session, 429 over a limit.
 */
export async function admitWrite(c: Ctx, token: string | null): Promise<AuthUser | null> {
  const deps = c.get("deps");
  const limits = limitsOf(deps);
  const now = deps.now();
  const seconds = limits.windowSeconds;
  const ip = clientIp(c);
  const keys = [{ key: `w:ip:${ip}`, seconds }];
  if (c.req.path === "/v1/auth/register") keys.push({ key: `reg:ip:${ip}`, seconds: 3600 });
  const { session, hits } = await writeAdmission(deps.db)({
    token,
    keys,
    accountSeconds: seconds,
    now,
  });
  if (session && !session.ok) throw new AppError("unauthenticated", session.reason);
  const maxOf = (key: string) =>
    key.startsWith(accountKey(""))
      ? limits.writesPerAccount
      : key.startsWith("reg:")
        ? limits.signupsPerIpPerHour
        : limits.writesPerIp;
  let over: Hit | undefined;
  for (const h of hits) {
    if (h.hits > maxOf(h.key) && (!over || h.resetsAt > over.resetsAt)) over = h;
  }
  if (over) throw rateLimited("changes", over.resetsAt, now);
  await sweepNow(deps.db, now, seconds * 1000);
  return session?.user ?? null;
}

/**
 * Throttles guessing: each attempt counts against `key` before it is checked,
 * so parallel guesses cannot slip past the limit; a success clears the count.
 * Returns whether the attempt may go ahead, else throws 429.
 */
export async function countAttempt(c: Ctx, key: string): Promise<void> {
  const deps = c.get("deps");
  const limits = limitsOf(deps);
  const now = deps.now();
  const [h] = await countHits(deps.db)({
    keys: [{ key, seconds: limits.loginWindowSeconds }],
    now,
  });
  if (h && h.hits > limits.loginAttempts) throw rateLimited("sign-in attempts", h.resetsAt, now);
}

export const loginKey = (c: Ctx, email: string) => `login:${email.toLowerCase()}|${clientIp(c)}`;

/** Sign-in attempts per email and address; wraps POST /v1/auth/login. */
export const throttleLogin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  let email: unknown;
  try {
    email = ((await c.req.json()) as { email?: unknown } | null)?.email;
  } catch {
    return next(); // not JSON: the route answers 400
  }
  if (typeof email !== "string" || email.length > 254) return next();
  const key = loginKey(c, email.trim());
  await countAttempt(c, key);
  await next();
  if (c.res.status === 200) await clearKey(c.get("deps").db, key);
};
