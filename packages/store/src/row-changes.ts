import type Dexie from "dexie";
import type { DBCoreMutateRequest, DBCoreMutateResponse } from "dexie";

/** The annotation rows a committed write touched; null when it may have touched any. */
export type TouchedRows = string[] | null;
type Listener = (rows: TouchedRows) => void;

const listeners = new Map<string, Set<Listener>>();
const channels = new Map<string, BroadcastChannel>();

function tell(dbName: string, rows: TouchedRows) {
  for (const fn of listeners.get(dbName) ?? []) fn(rows);
}

/** Other pages of this origin (another tab, another page's sidebar) write the same database. */
function channelFor(dbName: string): BroadcastChannel | null {
  if (typeof BroadcastChannel === "undefined") return null;
  let channel = channels.get(dbName);
  if (!channel) {
    channel = new BroadcastChannel(`margin-rows:${dbName}`);
    channel.onmessage = (e) => tell(dbName, e.data as TouchedRows);
    // Node keeps a process alive for an open channel; a page closes it with itself.
    (channel as { unref?: () => void }).unref?.();
    channels.set(dbName, channel);
  }
  return channel;
}

/**
 * Calls `fn` after each committed write to the annotations of `db` (by name: in this page or
 * another) with the keys it touched. Dexie's own change events say "everything" for any write
 * of 50 rows or more, such as a pulled page.
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
  const pending = new WeakMap<object, { keys: Set<string>; all: boolean }>();
  const record = (req: DBCoreMutateRequest, res: DBCoreMutateResponse) => {
    let p = pending.get(req.trans);
    if (!p) {
      const touched = { keys: new Set<string>(), all: false };
      p = touched;
      pending.set(req.trans, touched);
      (req.trans as unknown as IDBTransaction).addEventListener("complete", () => {
        const rows = touched.all ? null : [...touched.keys];
        tell(db.name, rows);
        channelFor(db.name)?.postMessage(rows);
      });
    }
    if (req.type === "deleteRange") p.all = true;
    else
      for (const key of req.type === "delete" ? req.keys : (res.results ?? [])) {
        if (typeof key === "string") p.keys.add(key);
        else if (key !== undefined) p.all = true;
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
