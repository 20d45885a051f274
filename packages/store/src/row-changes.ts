import type Dexie from "dexie";
import type { DBCoreMutateRequest, DBCoreMutateResponse } from "dexie";
import type { AcknowledgedRow } from "./acknowledged.ts";

/**
 * What a committed write did to the annotations. Written in this page: each row as written
 * (undefined if deleted), so a reader need not read it back. Written in another page: the
 * keys. null: it may have touched any row (a clear, a range delete).
 */
export type RowChange = { rows: ReadonlyMap<string, unknown> } | { keys: readonly string[] } | null;
type Listener = (change: RowChange) => void;

const listeners = new Map<string, Set<Listener>>();
const channels = new Map<string, BroadcastChannel>();

function tell(dbName: string, change: RowChange) {
  for (const fn of listeners.get(dbName) ?? []) fn(change);
}

/** Other pages of this origin (another tab, another page's sidebar) write the same database. */
function channelFor(dbName: string): BroadcastChannel | null {
  if (typeof BroadcastChannel === "undefined") return null;
  let channel = channels.get(dbName);
  if (!channel) {
    channel = new BroadcastChannel(`margin-rows:${dbName}`);
    channel.onmessage = (e) => tell(dbName, e.data === null ? null : { keys: e.data as string[] });
    // Node keeps a process alive for an open channel; a page closes it with itself.
    (channel as { unref?: () => void }).unref?.();
    channels.set(dbName, channel);
  }
  return channel;
}

/**
 * Calls `fn` after each committed write to the annotations of `db` (by name: in this page or
 * another) with what it changed. Dexie's own change events say "everything" for any write of
 * 50 rows or more, such as a pulled page.
 */
export function onRowChanges(db: Dexie, fn: Listener): () => void {
  channelFor(db.name);
  const set = listeners.get(db.name) ?? new Set();
  listeners.set(db.name, set);
  set.add(fn);
  return () => set.delete(fn);
}

/** Installed on a database before it opens: notes the keys each write touches, tells them once it commits. */
export function reportRowChanges(db: Dexie): void {
  type Touched = { rows: Map<string, unknown>; read: Set<string>; all: boolean };
  const pending = new WeakMap<object, Touched>();
  const touchedBy = (req: DBCoreMutateRequest) => {
    let p = pending.get(req.trans);
    if (!p) {
      const touched: Touched = { rows: new Map(), read: new Set(), all: false };
      p = touched;
      pending.set(req.trans, touched);
      (req.trans as unknown as IDBTransaction).addEventListener("complete", () => {
        if (touched.all) tell(db.name, null);
        else {
          if (touched.rows.size > 0) tell(db.name, { rows: touched.rows });
          if (touched.read.size > 0) tell(db.name, { keys: [...touched.read] });
        }
        channelFor(db.name)?.postMessage(
          touched.all ? null : [...touched.rows.keys(), ...touched.read],
        );
      });
    }
    return p;
  };
  const record = (req: DBCoreMutateRequest, res: DBCoreMutateResponse) => {
    const p = touchedBy(req);
    if (req.type === "deleteRange") p.all = true;
    else if (req.type === "delete") for (const key of req.keys) p.rows.set(key, undefined);
    else
      for (const [i, key] of (res.results ?? []).entries()) {
        if (res.failures[i]) continue;
        if (typeof key === "string") p.rows.set(key, req.values[i]);
        else p.all = true;
      }
  };
  // New comments acknowledged in bulk change their rows as read without a write to them: their
  // readers read them again.
  const recordAcknowledged = (req: DBCoreMutateRequest) => {
    if (req.type !== "add" && req.type !== "put") return;
    const p = touchedBy(req);
    for (const ack of req.values as AcknowledgedRow[]) for (const id of ack.ids) p.read.add(id);
  };
  db.use({
    stack: "dbcore",
    name: "margin-row-changes",
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== "annotations" && name !== "acknowledged") return table;
        return {
          ...table,
          mutate: (req) =>
            table.mutate(req).then((res) => {
              if (name === "annotations") record(req, res);
              else recordAcknowledged(req);
              return res;
            }),
        };
      },
    }),
  });
}
