import { Dexie, type Table } from "dexie";
import type { UserView } from "../../shared/messages.ts";

/**
 * The sign-in token, per service origin. It lives in the background's own
 * IndexedDB (the extension's origin), not in `storage.local`, because content
 * scripts can read `storage.local` and the token must never reach the page's
 * side of the extension.
 */
export interface Credential {
  service: string;
  token: string;
  expiresAt: string;
  user: UserView;
}

type CredentialDb = Dexie & { credentials: Table<Credential, string> };

let db: CredentialDb | null = null;

function open(): CredentialDb {
  if (!db) {
    db = new Dexie("margin-extension-credentials") as CredentialDb;
    db.version(1).stores({ credentials: "service" });
  }
  return db;
}

export async function loadCredential(service: string): Promise<Credential | null> {
  const c = await open().credentials.get(service);
  if (!c) return null;
  if (Date.parse(c.expiresAt) <= Date.now()) {
    await open().credentials.delete(service);
    return null;
  }
  return c;
}

export async function saveCredential(c: Credential): Promise<void> {
  await open().credentials.put(c);
}

export async function dropCredential(service: string): Promise<void> {
  await open().credentials.delete(service);
}
