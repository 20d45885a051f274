import type { DexieOptions } from "dexie";

/**
 * Where the sidebar keeps the reader's work. On the agency's own site (the
 * service on a subdomain of it) the frame has the browser's storage like any
 * page. On another site, browsers that block third-party storage deny it; the
 * frame then works from memory for the visit (comments are sent as soon as
 * they are written) and says so, rather than failing.
 */
export interface FrameStorage {
  persistent: boolean;
  session: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  dexie: DexieOptions | undefined;
}

declare global {
  interface Window {
    __marginMemoryIdb?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange };
  }
}

async function indexedDbWorks(win: Window): Promise<boolean> {
  try {
    const name = "margin-probe";
    await new Promise<void>((resolve, reject) => {
      const r = win.indexedDB.open(name);
      r.onsuccess = () => {
        r.result.close();
        resolve();
      };
      r.onerror = () => reject(r.error);
    });
    win.indexedDB.deleteDatabase(name);
    return true;
  } catch {
    return false;
  }
}

function memoryStorage(): FrameStorage["session"] {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

/** The in-memory IndexedDB is a separate file, fetched only by frames that need it. */
function loadMemoryIdb(win: Window): Promise<NonNullable<Window["__marginMemoryIdb"]>> {
  return new Promise((resolve, reject) => {
    const s = win.document.createElement("script");
    s.src = "memory-idb.js";
    s.onload = () =>
      win.__marginMemoryIdb ? resolve(win.__marginMemoryIdb) : reject(new Error("memory-idb"));
    s.onerror = () => reject(new Error("memory-idb.js did not load"));
    win.document.head.append(s);
  });
}

export async function frameStorage(win: Window): Promise<FrameStorage> {
  let session: Storage | null = null;
  try {
    session = win.localStorage;
    session.getItem("margin.session");
  } catch {
    session = null;
  }
  if (session && (await indexedDbWorks(win)))
    return { persistent: true, session, dexie: undefined };
  const memory = await loadMemoryIdb(win);
  return {
    persistent: false,
    session: memoryStorage(),
    dexie: { indexedDB: memory.indexedDB, IDBKeyRange: memory.IDBKeyRange },
  };
}
