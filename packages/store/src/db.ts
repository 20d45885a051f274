import type {
  Annotation,
  AnnotationCreate,
  EndorsementKind,
  ErrorCode,
  Mutation,
  Stance,
  Target,
} from "@margin/model";
import { Dexie, type DexieOptions, type Table } from "dexie";
import { type AcknowledgedRow, readAcknowledged } from "./acknowledged.ts";
import { reportRowChanges } from "./row-changes.ts";

export type SyncState = "pending" | "synced" | "conflict" | "rejected";

/** What the person changed locally, shown over the server copy until the service acknowledges it. */
export interface LocalOverlay {
  text: string;
  suggestion: string | null;
  stance: Stance;
  status: "visible" | "withdrawn";
}

/** One annotation as this client knows it: the server copy plus local edits (S1). */
export interface AnnotationRow {
  id: string;
  consultationId: string | null;
  target: Target | Annotation["target"];
  paragraphKey: string | null;
  parentId: string | null;
  /** The last copy the service acknowledged or sent on pull; null until a create is applied. */
  server: Annotation | null;
  /** The create as the person made it, kept so a rejected create can be sent again. */
  input: AnnotationCreate | null;
  /** Local edits not yet acknowledged (or kept after a conflict or rejection); null when the server copy is the truth. */
  local: LocalOverlay | null;
  syncState: SyncState;
  rejection?: { code: ErrorCode | string; message: string };
  conflict?: { server: Annotation; reason: string };
  /** This person's own endorsement as last set here (the service only reports counts). */
  myEndorsement?: EndorsementKind | null;
  endorsementError?: { code: string; message: string };
  /** Local wall-clock ms of the last change to this row. */
  updatedAt: number;
}

/**
 * A mutation waiting in the outbox. `baseRevision` may be null while an earlier
 * mutation on the same annotation is unacknowledged: it is filled in from the
 * server copy when the mutation is sent (S4).
 */
export type QueuedMutation =
  | Extract<Mutation, { type: "annotation.create" | "endorsement.set" }>
  | (Omit<Extract<Mutation, { type: "annotation.edit" }>, "baseRevision"> & {
      baseRevision: number | null;
    })
  | (Omit<Extract<Mutation, { type: "annotation.withdraw" }>, "baseRevision"> & {
      baseRevision: number | null;
    });

export interface OutboxRow {
  /** Local sequence: the outbox is sent in this order. */
  seq?: number;
  key: string;
  annotationId: string;
  /** annotation-level changes (create/edit/withdraw) are ordered per annotation; endorsements stand alone. */
  kind: "annotation" | "endorsement";
  mutation: QueuedMutation;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

export interface DraftRow {
  /** e.g. `new:<scope>:<paragraphKey>` or `edit:<annotationId>`; see draftKey(). */
  key: string;
  text: string;
  suggestion?: string | null;
  stance?: Stance;
  updatedAt: number;
}

export interface CursorRow {
  /** scopeKey(scope): `consultation:<id>` or `source:<canonical url>`. */
  scope: string;
  cursor: number;
  updatedAt: number;
}

/** An official response, cached as pulled; the shape is kept generic until the service sends them. */
export interface ResponseRow {
  id: string;
  consultationId: string;
  targetType: string;
  targetId: string;
  text: string;
  disposition: string;
  official: { id: string; displayName: string };
  publishedAt: string;
  revision: number;
  annotationId?: string | null;
  paragraphKey?: string | null;
}

/**
 * Small facts about the store. `sentThrough`: every outbox row up to this sequence number has
 * been sent (S3). Batches are taken from the head in order, so the rows sent are always the
 * oldest ones; one number says which, where marking each row cost a write per row per batch.
 */
export interface MetaRow {
  name: "sentThrough";
  value: number;
}

export type MarginDb = Dexie & {
  annotations: Table<AnnotationRow, string>;
  outbox: Table<OutboxRow, number>;
  drafts: Table<DraftRow, string>;
  cursors: Table<CursorRow, string>;
  responses: Table<ResponseRow, string>;
  meta: Table<MetaRow, string>;
  /** New comments the service acknowledged in bulk, not yet written to their rows (acknowledged.ts). */
  acknowledged: Table<AcknowledgedRow, number>;
};

/** One database per service, so a staging and a production service never mix. */
export function dbNameFor(serviceOrigin: string): string {
  return `margin-${new URL(serviceOrigin).origin}`;
}

/**
 * Opens (lazily, on first use) the store's database. Pass `indexedDB` and
 * `IDBKeyRange` in options to run on something other than the global IndexedDB.
 */
export function openMarginDb(name: string, options?: DexieOptions): MarginDb {
  const db = new Dexie(name, options) as MarginDb;
  db.version(1).stores({
    annotations: "id, consultationId, target.source, paragraphKey, syncState, parentId",
    outbox: "++seq, key, annotationId",
    drafts: "key, updatedAt",
    cursors: "scope",
    responses: "id, consultationId, [targetType+targetId], annotationId, paragraphKey",
  });
  db.version(2)
    .stores({ meta: "name" })
    .upgrade(async (tx) => {
      // Version 1 marked each sent row; they become the rows below the mark.
      let mark = 0;
      await tx
        .table("outbox")
        .toCollection()
        .each((r: { seq: number; sent?: boolean }) => {
          if (r.sent && r.seq > mark) mark = r.seq;
        });
      await tx.table("meta").put({ name: "sentThrough", value: mark });
    });
  // Only the indexes something reads by: every index is rewritten on every put, and in
  // Chromium the three unread ones (and the outbox's key) cost ~0.5 s of the browser
  // process's ~3.8 s in draining 10,000 comments (pnpm bench service/sync).
  db.version(3).stores({
    annotations: "id, consultationId, target.source",
    outbox: "++seq, annotationId",
  });
  db.version(4).stores({ acknowledged: "++seq" });
  readAcknowledged(db);
  reportRowChanges(db);
  return db;
}

/** Where pull reads from: a registered consultation, or one canonical page URL. */
export type Scope = { consultation: string } | { source: string };

export function scopeKey(scope: Scope): string {
  return "consultation" in scope ? `consultation:${scope.consultation}` : `source:${scope.source}`;
}
