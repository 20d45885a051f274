import {
  type ApiClient,
  type Connectivity,
  createApiClient,
  createMarginStore,
  createSyncEngine,
  dbNameFor,
  type MarginDb,
  type MarginStore,
  openMarginDb,
  requestPersistentStorage,
  type SyncEngine,
  zodChecks,
} from "@margin/store";
import { type Credential, loadCredential } from "./credentials.ts";
import { createRevisionNotes, type RevisionNotes } from "./revisions.ts";

/**
 * Everything that talks to one Margin service: its Dexie database (in the
 * background's IndexedDB, so it outlives the short-lived MV3 worker), the API
 * client holding the credential, the sync engine, and the notes of revised drafts.
 */
export interface ServiceRuntime {
  baseUrl: string;
  db: MarginDb;
  api: ApiClient;
  store: MarginStore;
  engine: SyncEngine;
  revisionNotes: RevisionNotes;
  credential(): Promise<Credential | null>;
  setCredential(c: Credential | null): void;
  dispose(): void;
}

/** Connectivity in a worker: navigator.onLine and the online/offline events of the global scope. */
function workerConnectivity(): Connectivity {
  return {
    isOnline: () => globalThis.navigator?.onLine !== false,
    subscribe(onChange) {
      const on = () => onChange(true);
      const off = () => onChange(false);
      globalThis.addEventListener?.("online", on);
      globalThis.addEventListener?.("offline", off);
      return () => {
        globalThis.removeEventListener?.("online", on);
        globalThis.removeEventListener?.("offline", off);
      };
    },
  };
}

export function createServiceRuntime(baseUrl: string): ServiceRuntime {
  const db = openMarginDb(dbNameFor(baseUrl));
  let cached: Credential | null | undefined;
  const credential = async () => {
    if (cached === undefined) cached = await loadCredential(new URL(baseUrl).origin);
    return cached;
  };
  const api = createApiClient({
    baseUrl,
    // A call never hangs a sync cycle: a socket to a service that went away gives up after 20 s.
    fetch: (input, init) =>
      fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(20_000) }),
    getToken: async () => (await credential())?.token ?? null,
    check: zodChecks,
  });
  const store = createMarginStore({ db, check: zodChecks });
  const engine = createSyncEngine({
    db,
    api,
    connectivity: workerConnectivity(),
    intervalMs: 30_000,
  });
  void requestPersistentStorage(globalThis.navigator);
  const stop = engine.start();
  return {
    baseUrl,
    db,
    api,
    store,
    engine,
    revisionNotes: createRevisionNotes(api),
    credential,
    setCredential(c) {
      cached = c;
    },
    dispose() {
      stop();
      engine.dispose();
      db.close();
    },
  };
}
