import { IDBKeyRange, indexedDB } from "fake-indexeddb";

window.__marginMemoryIdb = { indexedDB, IDBKeyRange };
