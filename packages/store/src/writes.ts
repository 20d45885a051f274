import {
  type Annotation,
  type AnnotationCreate,
  type AnnotationInput,
  type AnnotationPatch,
  type EndorsementKind,
  paragraphKeyOf,
} from "@margin/model";
import type { Check, Shape, Shapes } from "./checks.ts";
import type { AnnotationRow, LocalOverlay, MarginDb, OutboxRow, SyncState } from "./db.ts";

/**
 * Local writes. Each one changes the annotation row and the outbox in one
 * IndexedDB transaction (S1), so a crash leaves either both or neither.
 */
export interface StoreDeps {
  db: MarginDb;
  now: () => number;
  /** Makes UUIDv7 ids for annotations and idempotency keys. */
  newId: () => string;
  /** How a comment is checked before it is kept (checks.ts). */
  check: Check;
}

export class StoreError extends Error {
  constructor(
    readonly code: "not_found" | "withdrawn" | "hidden" | "nothing_to_resolve" | "invalid",
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

/** The checked value, or a StoreError saying what is wrong with it. */
function checked<K extends Shape>(deps: StoreDeps, shape: K, value: unknown): Shapes[K] {
  const r = deps.check(shape, value);
  if (r.ok) return r.value;
  throw new StoreError(
    "invalid",
    r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "),
  );
}

export type NewAnnotation = Omit<AnnotationInput, "id"> & { id?: string };

/** The outbox's rows up to this sequence number have been sent (see MetaRow). */
export async function sentThrough(db: MarginDb): Promise<number> {
  return (await db.meta.get("sentThrough"))?.value ?? 0;
}

/**
 * Tells which outbox rows were sent: the service may hold them, so nothing more is folded into
 * them (S3). Call inside a transaction with `meta`.
 */
export async function sentRows(db: MarginDb): Promise<(row: OutboxRow) => boolean> {
  const mark = await sentThrough(db);
  return (row) => row.seq !== undefined && row.seq <= mark;
}

/** Outbox rows for one annotation, oldest first. */
export async function outboxFor(
  db: MarginDb,
  annotationId: string,
  kind?: OutboxRow["kind"],
): Promise<OutboxRow[]> {
  const rows = await db.outbox.where("annotationId").equals(annotationId).sortBy("seq");
  return kind ? rows.filter((r) => r.kind === kind) : rows;
}

export function syncStateOf(row: AnnotationRow, pendingRows: number): SyncState {
  if (row.conflict) return "conflict";
  if (row.rejection) return "rejected";
  return pendingRows > 0 ? "pending" : "synced";
}

/** The row with its syncState recomputed from what is still queued for it, and a local overlay nobody needs dropped. */
export function settled(
  row: AnnotationRow,
  pending: Pick<OutboxRow, "kind">[],
  now: number,
): AnnotationRow {
  const next: AnnotationRow = {
    ...row,
    syncState: syncStateOf(row, pending.length),
    updatedAt: now,
  };
  const annotationPending = pending.some((r) => r.kind === "annotation");
  if (!annotationPending && !row.conflict && !row.rejection && row.server) {
    next.local = null;
    // What was typed is the service's copy now; a row without it is a quarter smaller to store
    // and read again (requeueMine wants it only for a comment the service never took).
    next.input = null;
  }
  return next;
}

/** settled() for a stored row, after the outbox changed. Call inside a transaction. */
export async function settle(db: MarginDb, id: string, now: number): Promise<void> {
  const row = await db.annotations.get(id);
  if (!row) return;
  await db.annotations.put(settled(row, await outboxFor(db, id), now));
}

export function overlayOf(a: Annotation): LocalOverlay {
  return {
    text: a.text,
    suggestion: a.suggestion,
    stance: a.stance,
    status: a.status === "withdrawn" ? "withdrawn" : "visible",
  };
}

function currentOverlay(row: AnnotationRow): LocalOverlay {
  if (row.local) return row.local;
  if (row.server) return overlayOf(row.server);
  if (row.input) {
    const { text, suggestion, stance } = row.input;
    return { text, suggestion, stance, status: "visible" };
  }
  throw new StoreError("not_found", `annotation ${row.id} has no content`);
}

function newOutboxRow(
  deps: StoreDeps,
  annotationId: string,
  kind: OutboxRow["kind"],
  mutation: OutboxRow["mutation"],
): OutboxRow {
  const t = deps.now();
  return {
    key: mutation.key,
    annotationId,
    kind,
    mutation,
    attempts: 0,
    nextAttemptAt: t,
    createdAt: t,
  };
}

function tx<T>(db: MarginDb, fn: () => Promise<T>): Promise<T> {
  return db.transaction("rw", db.annotations, db.outbox, db.meta, fn);
}

/** Creates a comment offline: an annotation row (pending) and a create mutation, atomically (S1). */
export async function createAnnotation(
  deps: StoreDeps,
  input: NewAnnotation,
): Promise<AnnotationRow> {
  const { db } = deps;
  const parsed: AnnotationCreate = checked(deps, "annotationInput", {
    ...input,
    id: input.id ?? deps.newId(),
  });
  const key = deps.newId();
  const row: AnnotationRow = {
    id: parsed.id,
    consultationId: parsed.consultationId,
    target: parsed.target,
    paragraphKey: paragraphKeyOf(parsed.target.selector),
    parentId: parsed.parentId,
    server: null,
    input: parsed,
    local: {
      text: parsed.text,
      suggestion: parsed.suggestion,
      stance: parsed.stance,
      status: "visible",
    },
    syncState: "pending",
    updatedAt: deps.now(),
  };
  // No fold, so no need of the sent mark: one table fewer to lock for the commonest write.
  await db.transaction("rw", db.annotations, db.outbox, async () => {
    await db.annotations.add(row);
    await db.outbox.add(
      newOutboxRow(deps, row.id, "annotation", {
        type: "annotation.create",
        key,
        annotation: parsed,
      }),
    );
  });
  return row;
}

/**
 * Edits text, suggestion or stance. Folds into the newest unsent create or edit
 * for the same annotation (S3); otherwise queues an edit based on the server
 * revision, or, behind an unacknowledged mutation, on whatever it yields (S4).
 */
export async function editAnnotation(
  deps: StoreDeps,
  id: string,
  patch: AnnotationPatch,
): Promise<AnnotationRow> {
  const { db } = deps;
  const p = checked(deps, "annotationPatch", patch);
  return tx(db, async () => {
    const row = await db.annotations.get(id);
    if (!row) throw new StoreError("not_found", `no annotation ${id}`);
    const before = currentOverlay(row);
    if (before.status === "withdrawn")
      throw new StoreError("withdrawn", `annotation ${id} is withdrawn`);
    const local: LocalOverlay = {
      text: p.text ?? before.text,
      suggestion: p.suggestion !== undefined ? p.suggestion : before.suggestion,
      stance: p.stance ?? before.stance,
      status: "visible",
    };
    if (row.conflict || row.rejection) {
      // Editing an item that needs attention means "send my version" (as keepMine).
      await requeueMine(deps, { ...row, local });
      return (await db.annotations.get(id)) as AnnotationRow;
    }
    const rows = await outboxFor(db, id, "annotation");
    const sent = await sentRows(db);
    const last = rows.at(-1);
    if (last && !sent(last) && last.mutation.type === "annotation.create") {
      const annotation = checked(deps, "annotationInput", {
        ...last.mutation.annotation,
        ...localFields(local),
      });
      await db.outbox.put({ ...last, mutation: { ...last.mutation, annotation } });
      row.input = annotation;
    } else if (last && !sent(last) && last.mutation.type === "annotation.edit") {
      await db.outbox.put({
        ...last,
        mutation: { ...last.mutation, patch: { ...last.mutation.patch, ...p } },
      });
    } else {
      const baseRevision = last ? null : (row.server?.revision ?? null);
      await db.outbox.add(
        newOutboxRow(deps, id, "annotation", {
          type: "annotation.edit",
          key: deps.newId(),
          id,
          baseRevision,
          patch: p,
        }),
      );
    }
    const next: AnnotationRow = { ...row, local, syncState: "pending", updatedAt: deps.now() };
    await db.annotations.put(next);
    return next;
  });
}

function localFields(l: LocalOverlay) {
  return { text: l.text, suggestion: l.suggestion, stance: l.stance };
}

/**
 * Withdraws a comment. An unsent create is simply dropped with its row
 * (nothing reached the service); an unsent edit becomes the withdraw.
 */
export async function withdrawAnnotation(
  deps: StoreDeps,
  id: string,
): Promise<AnnotationRow | null> {
  const { db } = deps;
  return tx(db, async () => {
    const row = await db.annotations.get(id);
    if (!row) throw new StoreError("not_found", `no annotation ${id}`);
    const rows = await outboxFor(db, id, "annotation");
    const sent = await sentRows(db);
    const last = rows.at(-1);
    if (last && !sent(last) && last.mutation.type === "annotation.create") {
      await db.outbox.where("annotationId").equals(id).delete();
      await db.annotations.delete(id);
      return null;
    }
    const local: LocalOverlay = { ...currentOverlay(row), status: "withdrawn" };
    if (row.conflict || row.rejection) {
      await requeueMine(deps, { ...row, local });
      return (await db.annotations.get(id)) as AnnotationRow;
    }
    if (last && !sent(last) && last.mutation.type === "annotation.withdraw") return row;
    if (last && !sent(last) && last.mutation.type === "annotation.edit") {
      const { baseRevision } = last.mutation;
      await db.outbox.put({
        ...last,
        mutation: { type: "annotation.withdraw", key: last.key, id, baseRevision },
      });
    } else {
      const baseRevision = last ? null : (row.server?.revision ?? null);
      await db.outbox.add(
        newOutboxRow(deps, id, "annotation", {
          type: "annotation.withdraw",
          key: deps.newId(),
          id,
          baseRevision,
        }),
      );
    }
    const next: AnnotationRow = { ...row, local, syncState: "pending", updatedAt: deps.now() };
    await db.annotations.put(next);
    return next;
  });
}

/** Agree, disagree, or clear (null). One pending endorsement per annotation: a later choice replaces an unsent one. */
export async function setEndorsement(
  deps: StoreDeps,
  annotationId: string,
  kind: EndorsementKind | null,
): Promise<void> {
  const { db } = deps;
  await tx(db, async () => {
    const row = await db.annotations.get(annotationId);
    const rows = await outboxFor(db, annotationId, "endorsement");
    const sent = await sentRows(db);
    const last = rows.at(-1);
    if (last && !sent(last) && last.mutation.type === "endorsement.set") {
      await db.outbox.put({ ...last, mutation: { ...last.mutation, kind } });
    } else {
      await db.outbox.add(
        newOutboxRow(deps, annotationId, "endorsement", {
          type: "endorsement.set",
          key: deps.newId(),
          annotationId,
          kind,
        }),
      );
    }
    if (row) {
      const { endorsementError: _dropped, ...rest } = row;
      await db.annotations.put({
        ...rest,
        myEndorsement: kind,
        syncState: syncStateOf(row, 1),
        updatedAt: deps.now(),
      });
    }
  });
}

/**
 * Re-queues the local version of a conflicted or rejected item. Call inside a transaction.
 * The service never changes a comment again once it is withdrawn or hidden, so re-sending an
 * edit of one would be refused again, for ever: a text kept over a withdrawal goes up as a new
 * comment on the same passage instead, and one kept over a moderator's hiding is refused here.
 */
async function requeueMine(deps: StoreDeps, row: AnnotationRow): Promise<void> {
  const { db } = deps;
  const server = row.conflict?.server ?? row.server;
  const local = currentOverlay(row);
  if (server?.status === "hidden")
    throw new StoreError(
      "hidden",
      `a moderator hid this comment${server.hiddenReason ? ` (${server.hiddenReason})` : ""}: it can no longer be changed`,
    );
  const annotationRows = await outboxFor(db, row.id, "annotation");
  const sent = await sentRows(db);
  for (const r of annotationRows)
    if (!sent(r) && r.seq !== undefined) await db.outbox.delete(r.seq);
  const stillSent = annotationRows.some(sent);
  const { conflict: _c, rejection: _r, ...rest } = row;
  if (server?.status === "withdrawn" && local.status !== "withdrawn") {
    await createAnnotation(deps, {
      consultationId: server.consultationId,
      target: row.target,
      parentId: server.parentId,
      motivation: server.motivation,
      ...localFields(local),
    });
    const left = await outboxFor(db, row.id);
    await db.annotations.put(settled({ ...rest, server, local: null }, left, deps.now()));
    return;
  }
  let mutation: OutboxRow["mutation"];
  if (!server) {
    if (!row.input)
      throw new StoreError("nothing_to_resolve", `annotation ${row.id} has nothing to send`);
    const annotation = checked(deps, "annotationInput", { ...row.input, ...localFields(local) });
    row.input = annotation;
    mutation = { type: "annotation.create", key: deps.newId(), annotation };
  } else if (local.status === "withdrawn") {
    mutation = {
      type: "annotation.withdraw",
      key: deps.newId(),
      id: row.id,
      baseRevision: stillSent ? null : server.revision,
    };
  } else {
    mutation = {
      type: "annotation.edit",
      key: deps.newId(),
      id: row.id,
      baseRevision: stillSent ? null : server.revision,
      patch: localFields(local),
    };
  }
  await db.outbox.add(newOutboxRow(deps, row.id, "annotation", mutation));
  await db.annotations.put({ ...rest, server, local, syncState: "pending", updatedAt: deps.now() });
}

/** Conflict or rejection: send my version again, based on the server's current revision (S9). */
export async function keepMine(deps: StoreDeps, id: string): Promise<void> {
  const { db } = deps;
  await tx(db, async () => {
    const row = await db.annotations.get(id);
    if (!row) throw new StoreError("not_found", `no annotation ${id}`);
    if (!row.conflict && !row.rejection)
      throw new StoreError("nothing_to_resolve", `annotation ${id} needs no resolution`);
    await requeueMine(deps, row);
  });
}

/**
 * Conflict or rejection: drop my local version and show the server's (S9).
 * An item the service never accepted is removed.
 */
export async function takeTheirs(deps: StoreDeps, id: string): Promise<void> {
  const { db } = deps;
  await tx(db, async () => {
    const row = await db.annotations.get(id);
    if (!row) throw new StoreError("not_found", `no annotation ${id}`);
    const server = row.conflict?.server ?? row.server;
    const rows = await outboxFor(db, id, "annotation");
    const sent = await sentRows(db);
    for (const r of rows) if (!sent(r) && r.seq !== undefined) await db.outbox.delete(r.seq);
    if (!server) {
      await db.outbox.where("annotationId").equals(id).delete();
      await db.annotations.delete(id);
      return;
    }
    const { conflict: _c, rejection: _r, ...rest } = row;
    await db.annotations.put({
      ...rest,
      server,
      local: null,
      syncState: "synced",
      updatedAt: deps.now(),
    });
    await settle(db, id, deps.now());
  });
}

/** Discards local changes whatever the state: the same as takeTheirs, but also for pending items. */
export const discardLocal = takeTheirs;
