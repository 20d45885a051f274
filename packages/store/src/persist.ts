export type PersistAnswer = "granted" | "denied" | "unsupported";

/**
 * Asks the browser to keep this origin's storage under pressure, so offline
 * comments are not evicted (S12). Pass `navigator`; tests pass a fake.
 */
export async function requestPersistentStorage(
  nav: { storage?: Partial<Pick<StorageManager, "persist" | "persisted">> } | undefined,
): Promise<PersistAnswer> {
  const storage = nav?.storage;
  if (!storage || typeof storage.persist !== "function") return "unsupported";
  try {
    if (typeof storage.persisted === "function" && (await storage.persisted())) return "granted";
    return (await storage.persist()) ? "granted" : "denied";
  } catch {
    return "denied";
  }
}
