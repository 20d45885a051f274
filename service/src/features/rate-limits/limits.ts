import type { Deps } from "../../http/context.ts";

/** Abuse limits; every field has a default, tests set low ones. */
export interface Limits {
  /** Length of a write-limit window, in seconds. */
  windowSeconds: number;
  /** Writes (POST/PUT/PATCH/DELETE under /v1) per signed-in account per window. */
  writesPerAccount: number;
  /**
   * Writes per client address per window, signed in or not. Generous: at a
   * deadline many people share one address (a campus, an office, carrier NAT);
   * the per-account limit and the sign-up limit do the finer work.
   */
  writesPerIp: number;
  /** New accounts per client address per hour (mass fake commenters need accounts). */
  signupsPerIpPerHour: number;
  /** Sign-in (or password change) attempts per email and address per login window. */
  loginAttempts: number;
  loginWindowSeconds: number;
  /** Distinct people whose flags hide a comment pending review. */
  flagsToHide: number;
  /**
   * How many proxies in front of the service append to X-Forwarded-For; 0
   * (the default) means the socket's address is the client's.
   */
  trustProxy: number;
}

/** `TRUST_PROXY=true` means one proxy; a number says how many. */
export function trustProxyFrom(v: string | undefined): number {
  if (!v || v === "false") return 0;
  if (v === "true") return 1;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 10 ? n : 0;
}

export const defaultLimits: Limits = {
  windowSeconds: 60,
  writesPerAccount: 120,
  writesPerIp: 3000,
  signupsPerIpPerHour: 30,
  loginAttempts: 10,
  loginWindowSeconds: 15 * 60,
  flagsToHide: 3,
  trustProxy: trustProxyFrom(process.env.TRUST_PROXY),
};

export function limitsOf(deps: Deps): Limits {
  return { ...defaultLimits, ...deps.limits };
}
