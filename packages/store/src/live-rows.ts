import { batch, signal } from "@preact/signals-core";
import type { AnnotationRow, MarginDb, Scope } from "./db.ts";
import type { LiveSignal } from "./live.ts";
import { onRowChanges } from "./row-changes.ts";

/** A row written in another page: read it. */
const READ = Symbol("read");

const inScope = (row: AnnotationRow, scope: Scope) =>
  "consultation" in scope
    ? row.consultationId === scope.consultation
    : row.target.source === scope.source;

/** Orders by id, as IndexedDB orders the keys (code units, not locale). */
export const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export function scopeRows(db: MarginDb, scope: Scope): Promise<AnnotationRow[]> {
  return "consultation" in scope
    ? db.annotations.where("consultationId").equals(scope.consultation).toArray()
    : db.annotations.where("target.source").equals(scope.source).toArray();
}

/**
 * The annotation rows of a scope, in key order (the order of the scope's index), kept current
 * from the rows each write touched: as written, when written in this page; read again, when
 * written in another. Dexie's liveQuery reads the whole scope
 * again after every write to it: with 5,000 comments, ~350 ms of IndexedDB per +1 in Chromium
 * and a read of every row per pulled page. Writes in other pages arrive the same way.
 */
export function liveRows(db: MarginDb, scope: Scope): LiveSignal<AnnotationRow[]> {
  const value = signal<AnnotationRow[]>([]);
  const ready = signal(false);
  const error = signal<unknown>(null);
  const rows = new Map<string, AnnotationRow>();
  let everything = true;
  /** Changes not shown yet, the latest per key: a row as written here, or READ (written elsewhere). */
  const changed = new Map<string, AnnotationRow | undefined | typeof READ>();
  let running = false;
  let disposed = false;

  async function catchUp() {
    if (running || disposed) return;
    running = true;
    try {
      let added = false;
      while (!disposed && (everything || changed.size > 0)) {
        if (everything) {
          everything = false;
          changed.clear();
          const all = await scopeRows(db, scope);
          rows.clear();
          for (const r of all) rows.set(r.id, r);
          continue;
        }
        const pending = [...changed];
        changed.clear();
        const unknown = pending.filter(([, row]) => row === READ).map(([key]) => key);
        const read = unknown.length > 0 ? await db.annotations.bulkGet(unknown) : [];
        const got = new Map(unknown.map((key, i) => [key, read[i]]));
        for (const [key, known] of pending) {
          const row = known === READ ? got.get(key) : known;
          if (row && inScope(row, scope)) {
            added ||= !rows.has(key);
            rows.set(key, row);
          } else rows.delete(key);
        }
      }
      if (disposed) return;
      const list = [...rows.values()];
      if (added) {
        list.sort(byId);
        rows.clear();
        for (const r of list) rows.set(r.id, r);
      }
      // Together: a reader waiting for `ready` sees the rows with it.
      batch(() => {
        value.value = list;
        ready.value = true;
      });
    } catch (e) {
      error.value = e;
    } finally {
      running = false;
    }
  }

  const stop = onRowChanges(db, (change) => {
    if (change === null) everything = true;
    else if ("rows" in change)
      for (const [key, row] of change.rows) changed.set(key, row as AnnotationRow | undefined);
    else for (const key of change.keys) changed.set(key, READ);
    void catchUp();
  });
  void catchUp();
  return {
    value,
    ready,
    error,
    dispose() {
      disposed = true;
      stop();
    },
  };
}
