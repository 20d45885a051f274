import type { Annotation, EndorsementKind, PublicPerson } from "@margin/model";
import { computed, type ReadonlySignal, signal } from "@preact/signals-core";
import { liveQuery } from "dexie";
import type { AnnotationRow, LocalOverlay, MarginDb, ResponseRow, Scope, SyncState } from "./db.ts";
import { liveRows, scopeRows } from "./live-rows.ts";

/** What the UI shows for one annotation: the local version over the server copy, with its sync state. */
export interface AnnotationView {
  id: string;
  consultationId: string | null;
  source: string;
  target: AnnotationRow["target"];
  paragraphKey: string | null;
  parentId: string | null;
  motivation: Annotation["motivation"];
  text: string;
  suggestion: string | null;
  stance: Annotation["stance"];
  status: Annotation["status"];
  hiddenReason: string | null;
  author: PublicPerson | null;
  created: string | null;
  revision: number | null;
  endorsements: { agree: number; disagree: number };
  myEndorsement: EndorsementKind | null;
  syncState: SyncState;
  rejection: { code: string; message: string } | null;
  /** Both versions: `mine` as typed here, `server` as now stored. */
  conflict: { reason: string; mine: LocalOverlay; server: Annotation } | null;
}

export function toView(row: AnnotationRow): AnnotationView {
  const s = row.server;
  const local = row.local;
  const text = local?.text ?? s?.text ?? row.input?.text ?? "";
  const status: Annotation["status"] =
    s?.status === "hidden" && !local ? "hidden" : (local?.status ?? s?.status ?? "visible");
  return {
    id: row.id,
    consultationId: row.consultationId,
    source: row.target.source,
    target: row.target,
    paragraphKey: row.paragraphKey,
    parentId: row.parentId,
    motivation: s?.motivation ?? row.input?.motivation ?? "commenting",
    text,
    suggestion: local ? local.suggestion : (s?.suggestion ?? row.input?.suggestion ?? null),
    stance: local?.stance ?? s?.stance ?? row.input?.stance ?? "neutral",
    status,
    hiddenReason: s?.hiddenReason ?? null,
    author: s?.author ?? null,
    created: s?.created ?? null,
    revision: s?.revision ?? null,
    endorsements: s?.endorsements ?? { agree: 0, disagree: 0 },
    myEndorsement: row.myEndorsement ?? null,
    syncState: row.syncState,
    rejection: row.rejection ?? null,
    conflict:
      row.conflict && local
        ? { reason: row.conflict.reason, mine: local, server: row.conflict.server }
        : null,
  };
}

/** What the UI lists: the rows of a scope (optionally one paragraph) as views, oldest first. */
export function itemsOf(rows: AnnotationRow[], paragraphKey?: string): AnnotationView[] {
  return rows
    .filter((r) => paragraphKey === undefined || r.paragraphKey === paragraphKey)
    .map(toView)
    .sort(
      (a, b) =>
        (a.created ?? "\uffff").localeCompare(b.created ?? "\uffff") || a.id.localeCompare(b.id),
    );
}

export async function itemsIn(
  db: MarginDb,
  scope: Scope,
  paragraphKey?: string,
): Promise<AnnotationView[]> {
  return itemsOf(await scopeRows(db, scope), paragraphKey);
}

export interface LiveSignal<T> {
  value: ReadonlySignal<T>;
  /** Becomes true after the first query result. */
  ready: ReadonlySignal<boolean>;
  error: ReadonlySignal<unknown>;
  dispose(): void;
}

/** A Dexie liveQuery exposed as a signal. Returns its disposer with it. */
export function liveSignal<T>(query: () => Promise<T>, initial: T): LiveSignal<T> {
  const value = signal<T>(initial);
  const ready = signal(false);
  const error = signal<unknown>(null);
  const sub = liveQuery(query).subscribe({
    next: (v) => {
      value.value = v;
      ready.value = true;
    },
    error: (e) => {
      error.value = e;
    },
  });
  return { value, ready, error, dispose: () => sub.unsubscribe() };
}

/** The annotations of a scope (optionally one paragraph), kept current as the store changes. */
export function liveItems(
  db: MarginDb,
  scope: Scope,
  paragraphKey?: string,
): LiveSignal<AnnotationView[]> {
  const rows = liveRows(db, scope);
  return { ...rows, value: computed(() => itemsOf(rows.value.value, paragraphKey)) };
}

/** Cached official responses to one annotation or paragraph. */
export function liveResponses(
  db: MarginDb,
  target: { annotationId: string } | { paragraphKey: string },
): LiveSignal<ResponseRow[]> {
  return liveSignal(
    () =>
      "annotationId" in target
        ? db.responses.where("annotationId").equals(target.annotationId).toArray()
        : db.responses.where("paragraphKey").equals(target.paragraphKey).toArray(),
    [],
  );
}
