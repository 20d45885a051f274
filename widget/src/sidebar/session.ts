import type { UserView } from "@margin/ui";

/**
 * The reader's sign-in, kept in the frame's own storage on the service's
 * origin (partitioned per agency site by the browser). The agency's page is
 * another origin: it can neither read it nor use it.
 */
export interface Session {
  token: string;
  expiresAt: string;
  user: UserView;
}

const KEY = "margin.session";

type Store = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function loadSession(storage: Store, now = Date.now()): Session | null {
  try {
    const s = JSON.parse(storage.getItem(KEY) ?? "null") as Session | null;
    if (!s || typeof s.token !== "string" || Date.parse(s.expiresAt) <= now) {
      storage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    storage.removeItem(KEY);
    return null;
  }
}

export function saveSession(storage: Store, s: Session | null) {
  if (s) storage.setItem(KEY, JSON.stringify(s));
  else storage.removeItem(KEY);
}
