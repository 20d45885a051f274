import type Dexie from "dexie";
import type { DBCoreMutateRequest, DBCoreMutateResponse } from "dexie";

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
  const pending = new WeakMap<object, { rows: Map<string, unknown>; all: boolean }>();
  const record = (req: DBCoreMutateRequest, res: DBCoreMutateResponse) => {
    let p = pending.get(req.trans);
    if (!p) {
      const touched = { rows: new Map<string, unknown>(), all: false };
      p = touched;
      pending.set(req.trans, touched);
      (req.trans as unknown as IDBTransaction).addEventListener("complete", () => {
        tell(db.name, touched.all ? null : { rows: touched.rows });
        channelFor(db.name)?.postMessage(touched.all ? null : [...touched.rows.keys()]);
      });
    }
    if (req.type === "deleteRange") p.all = true;
    else if (req.type === "delete") for (const key of req.keys) p.rows.set(key, undefined);
    else
      for (const [i, key] of (res.results ?? []).entries()) {
        if (res.failures[i]) continue;
        if (typeof key === "string") p.rows.set(key, req.values[i]);
        else p.all = true;
      }
  };
  db.use({
    stack: "dbcore",
    name: "margin-row-changes",
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== "annotations") return table;
        return {
          ...table,
          mutate: (req) =>
            table.mutate(req).then((res) => {
              record(req, res);
              return res;
            }),
        };
      },
    }),
  });
}
