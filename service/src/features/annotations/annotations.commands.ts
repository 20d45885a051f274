import {
  type AnnotationCreate,
  type AnnotationPatch,
  canonicalUrl,
  type EndorsementKind,
  paragraphKeyOf,
  type Selector,
} from "@margin/model";
import { sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { AuthUser } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { consultationGate, gateError } from "../consultations/consultation-gate.ts";
import { recordChange, scopeOf, type Tx } from "../sync/change-log.ts";
import { createAnnotationsBulk } from "./annotations.bulk-create.ts";
import {
  type AnnotationRow,
  findAnnotationRow,
  selectAnnotations,
} from "./annotations.repository.ts";

/**
 * Every way to change an annotation, shared by the REST routes and sync push.
 * Each runs inside the caller's transaction and reports an expected failure
 * as a value, so one bad mutation in a batch never spoils the others.
 */
export type CommandResult =
  | { status: "applied"; row: AnnotationRow; created: boolean }
  | { status: "conflict"; stale: boolean; reason: string; row: AnnotationRow }
  | { status: "rejected"; error: AppError };

const rejected = (error: AppError): CommandResult => ({ status: "rejected", error });

async function lockForChange(tx: Tx, id: string) {
  return selectAnnotations(tx).where("a.id", "=", id).forUpdate("a").executeTakeFirst();
}

async function openGate(
  tx: Tx,
  consultationId: string | null,
  now: Date,
): Promise<AppError | null> {
  if (!consultationId) return null;
  return gateError(await consultationGate(tx, consultationId, now));
}

/** The stored form of a new annotation, where it lives decided by the caller (a reply lives with its parent). */
export function newAnnotationRow(
  input: AnnotationCreate,
  user: AuthUser,
  now: Date,
  where: { consultationId: string | null; source: string; selectors: Selector[] },
) {
  return {
    id: input.id,
    scope: scopeOf(where.consultationId, where.source),
    consultation_id: where.consultationId,
    source: where.source,
    selectors: where.selectors,
    paragraph_key: paragraphKeyOf(where.selectors),
    parent_id: input.parentId,
    motivation: input.motivation,
    text: input.text,
    suggestion: input.suggestion,
    stance: input.stance,
    author_id: user.id,
    created_at: now,
    modified_at: now,
    revision: 1,
    status: "visible" as const,
  };
}

export async function createAnnotation(
  tx: Tx,
  user: AuthUser,
  input: AnnotationCreate,
  now: Date,
): Promise<CommandResult> {
  // A top-level comment is a batch of one: one statement, no read back.
  if (!input.parentId)
    return (await createAnnotationsBulk(tx, user, [input], now))[0] as CommandResult;
  let consultationId = input.consultationId;
  let source = canonicalUrl(input.target.source);
  let selectors = input.target.selector;
  {
    const parent = await findAnnotationRow(tx, input.parentId);
    if (!parent)
      return rejected(new AppError("not_found", "the comment you are replying to was not found"));
    if (parent.status !== "visible")
      return rejected(
        new AppError("conflict", "the comment you are replying to was withdrawn or hidden"),
      );
    // A reply lives where its parent lives, whatever the client said.
    consultationId = parent.consultation_id;
    source = parent.source;
    selectors = parent.selectors;
  }
  const closed = await openGate(tx, consultationId, now);
  if (closed) return rejected(closed);

  const fresh = newAnnotationRow(input, user, now, { consultationId, source, selectors });
  const inserted = await tx
    .insertInto("annotations")
    .values({ ...fresh, selectors: jsonb(fresh.selectors) })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning(["id", "scope"])
    .executeTakeFirst();

  if (!inserted) {
    const existing = await findAnnotationRow(tx, input.id);
    if (existing && existing.author_id === user.id)
      return { status: "applied", row: existing, created: false };
    return rejected(
      new AppError("conflict", "this annotation id is already taken; make a new UUIDv7"),
    );
  }
  const row = await findAnnotationRow(tx, inserted.id);
  if (!row) throw new Error("annotation vanished inside its own transaction");
  await recordChange(tx, inserted.scope, "annotation", inserted.id);
  return { status: "applied", row, created: true };
}

/** Shared checks before an author changes their own annotation. */
async function authorChange(tx: Tx, user: AuthUser, id: string, baseRevision: number, now: Date) {
  const row = await lockForChange(tx, id);
  if (!row) return rejected(new AppError("not_found", "the annotation was not found"));
  if (row.author_id !== user.id)
    return rejected(new AppError("forbidden", "only its author can change an annotation"));
  if (row.status === "withdrawn")
    return {
      status: "conflict",
      stale: false,
      reason: "you withdrew this annotation on another device",
      row,
    } as const;
  if (row.status === "hidden")
    return {
      status: "conflict",
      stale: false,
      reason: `a moderator hid this annotation: ${row.hidden_reason ?? "no reason given"}`,
      row,
    } as const;
  const closed = await openGate(tx, row.consultation_id, now);
  if (closed) return rejected(closed);
  if (row.revision !== baseRevision) {
    return {
      status: "conflict",
      stale: true,
      reason: `it was changed elsewhere (now revision ${row.revision}, yours was based on ${baseRevision})`,
      row,
    } as const;
  }
  return { status: "ok", row } as const;
}

export async function editAnnotation(
  tx: Tx,
  user: AuthUser,
  id: string,
  baseRevision: number,
  patch: AnnotationPatch,
  now: Date,
): Promise<CommandResult> {
  const check = await authorChange(tx, user, id, baseRevision, now);
  if (check.status !== "ok") return check;
  const { row } = check;
  const suggestion = patch.suggestion === undefined ? row.suggestion : patch.suggestion;
  if (row.motivation === "editing" && suggestion === null)
    return rejected(
      new AppError("validation_failed", "a suggested rewording needs its proposed text", [
        { path: "body.suggestion", message: "required for editing" },
      ]),
    );
  if (row.motivation !== "editing" && suggestion !== null)
    return rejected(
      new AppError("validation_failed", "only a suggested rewording carries a suggestion", [
        { path: "body.suggestion", message: "must be null" },
      ]),
    );
  await tx
    .updateTable("annotations")
    .set({
      text: patch.text ?? row.text,
      suggestion,
      stance: patch.stance ?? row.stance,
      revision: row.revision + 1,
      modified_at: now,
    })
    .where("id", "=", id)
    .execute();
  await recordChange(tx, row.scope, "annotation", id);
  return {
    status: "applied",
    row: (await findAnnotationRow(tx, id)) as AnnotationRow,
    created: false,
  };
}

export async function withdrawAnnotation(
  tx: Tx,
  user: AuthUser,
  id: string,
  baseRevision: number,
  now: Date,
): Promise<CommandResult> {
  const check = await authorChange(tx, user, id, baseRevision, now);
  if (check.status !== "ok") return check;
  await tx
    .updateTable("annotations")
    .set({ status: "withdrawn", revision: check.row.revision + 1, modified_at: now })
    .where("id", "=", id)
    .execute();
  await recordChange(tx, check.row.scope, "annotation", id);
  return {
    status: "applied",
    row: (await findAnnotationRow(tx, id)) as AnnotationRow,
    created: false,
  };
}

/** +1 (agree), disagree, or take it back (null). One per person; not a revision of the text. */
export async function setEndorsement(
  tx: Tx,
  user: AuthUser,
  id: string,
  kind: EndorsementKind | null,
  now: Date,
): Promise<CommandResult> {
  const row = await lockForChange(tx, id);
  if (!row) return rejected(new AppError("not_found", "the annotation was not found"));
  if (row.author_id === user.id)
    return rejected(new AppError("forbidden", "you cannot endorse your own comment"));
  if (row.status !== "visible")
    return {
      status: "conflict",
      stale: false,
      reason: "this annotation was withdrawn or hidden",
      row,
    };
  const closed = await openGate(tx, row.consultation_id, now);
  if (closed) return rejected(closed);
  if (kind === null) {
    await tx
      .deleteFrom("endorsements")
      .where("annotation_id", "=", id)
      .where("user_id", "=", user.id)
      .execute();
  } else {
    await tx
      .insertInto("endorsements")
      .values({ annotation_id: id, user_id: user.id, kind, created_at: now })
      .onConflict((oc) => oc.columns(["annotation_id", "user_id"]).doUpdateSet({ kind }))
      .execute();
  }
  await tx
    .updateTable("annotations")
    .set({
      agree_count: sql<number>`(select count(*) from endorsements where annotation_id = ${id} and kind = 'agree')`,
      disagree_count: sql<number>`(select count(*) from endorsements where annotation_id = ${id} and kind = 'disagree')`,
    })
    .where("id", "=", id)
    .execute();
  await recordChange(tx, row.scope, "annotation", id);
  return {
    status: "applied",
    row: (await findAnnotationRow(tx, id)) as AnnotationRow,
    created: false,
  };
}
