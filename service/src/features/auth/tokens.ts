import { createHash, randomBytes } from "node:crypto";

/** 256 random bits; only their SHA-256 is stored, so a leaked table lets no one in. */
export function newSessionToken(): string {
  return `mgn_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
