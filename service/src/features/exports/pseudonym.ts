import { createHash } from "node:crypto";

/**
 * A stable handle for a person in open data: the same person gets the same
 * pseudonym in every export (so researchers can group their comments), but it
 * is neither their email nor their account id.
 */
export function pseudonymOf(userId: string): string {
  return `p_${createHash("sha256").update(`margin-person:${userId}`).digest("base64url").slice(0, 12)}`;
}
