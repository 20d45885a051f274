import {
  type AnnotationRow,
  type ApiClient,
  type Connectivity,
  createApiClient,
  createMarginStore,
  createSyncEngine,
  dbNameFor,
  type MarginDb,
  type MarginStore,
  openMarginDb,
  type ResponseRow,
  requestPersistentStorage,
  type SyncEngine,
  toView,
} from "@margin/store";
import type { ItemView, ResponseView, SyncView, UserView } from "../../shared/messages.ts";
import { type Credential, loadCredential } from "./credentials.ts";

/**
 * Everything that talks to one Margin service: its Dexie database (in the
 * background's IndexedDB, so it outlives the short-lived MV3 worker), the API
 * client holding the credential, and the sync engine.
 */
export interface ServiceRuntime {
  baseUrl: string;
  db: MarginDb;
  api: ApiClient;
  store: MarginStore;
  engine: SyncEngine;
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
  });
  const store = createMarginStore({ db });
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

export function syncView(engine: SyncEngine): SyncView {
  const s = engine.status.value;
  return {
    online: s.online,
    syncing: s.syncing,
    pending: s.pending,
    lastError: s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : null,
  };
}

export function itemView(row: AnnotationRow, user: UserView | null): ItemView {
  const v = toView(row);
  return {
    id: v.id,
    parentId: v.parentId,
    source: v.source,
    selectors: v.target.selector as ItemView["selectors"],
    paragraphKey: v.paragraphKey,
    motivation: v.motivation,
    text: v.status === "withdrawn" ? "" : v.text,
    suggestion: v.status === "withdrawn" ? null : v.suggestion,
    stance: v.stance,
    status: v.status,
    author: v.author?.displayName ?? user?.displayName ?? null,
    mine: v.author === null || (user !== null && v.author.id === user.id),
    created: v.created,
    agree: v.endorsements.agree,
    myEndorsement: v.myEndorsement,
    syncState: v.syncState,
    rejection: v.rejection ? v.rejection.message : null,
    pointId: row.server?.pointId ?? null,
  };
}

export function responseView(r: ResponseRow): ResponseView {
  return {
    id: r.id,
    annotationId: r.annotationId ?? null,
    paragraphKey: r.paragraphKey ?? null,
    pointId: r.targetType === "cluster" ? r.targetId : null,
    text: r.text,
    disposition: r.disposition,
    official: r.official.displayName,
    publishedAt: r.publishedAt,
  };
}
