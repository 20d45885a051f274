import type { FlagInput, ModerationInput, ModerationItem } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { AuthUser } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import {
  type AnnotationRow,
  canModerate,
  findAnnotationRow,
  selectAnnotations,
} from "../annotations/annotations.repository.ts";
import { audit } from "../audit/audit.ts";
import { recordChange, type Tx } from "../sync/change-log.ts";

function lockAnnotation(tx: Tx, id: string) {
  return selectAnnotations(tx).where("a.id", "=", id).forUpdate("a").executeTakeFirst();
}

async function openFlagCount(db: Kysely<Database>, annotationId: string): Promise<number> {
  const r = await db
    .selectFrom("annotation_flags")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("annotation_id", "=", annotationId)
    .where("resolved_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function setVisibility(
  tx: Tx,
  row: AnnotationRow,
  status: "visible" | "hidden",
  reason: string | null,
  now: Date,
) {
  await tx
    .updateTable("annotations")
    .set({ status, hidden_reason: reason, revision: row.revision + 1, modified_at: now })
    .where("id", "=", row.id)
    .execute();
  // The author's clients (and everyone's) learn of it through sync pull.
  await recordChange(tx, row.scope, "annotation", row.id);
}

/**
 * One flag per person per annotation (a repeat returns the first). When
 * `threshold` distinct people have open flags on a visible comment, it is
 * hidden pending review.
 */
export async function addFlag(
  tx: Tx,
  user: AuthUser,
  id: string,
  input: FlagInput,
  now: Date,
  threshold: number,
) {
  const row = await lockAnnotation(tx, id);
  if (!row) throw new AppError("not_found", "the annotation was not found");
  if (row.author_id === user.id)
    throw new AppError("forbidden", "you cannot flag your own comment; withdraw it instead");
  if (row.status === "withdrawn")
    throw new AppError("conflict", "this annotation was withdrawn by its author");
  const inserted = await tx
    .insertInto("annotation_flags")
    .values({
      annotation_id: id,
      user_id: user.id,
      reason: input.reason,
      note: input.note ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(["annotation_id", "user_id"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  const flag =
    inserted ??
    (await tx
      .selectFrom("annotation_flags")
      .selectAll()
      .where("annotation_id", "=", id)
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow());
  const open = await openFlagCount(tx, id);
  let hidden = row.status === "hidden";
  if (inserted && row.status === "visible" && open >= threshold) {
    const reason = `pending review: flagged by ${open} people`;
    await setVisibility(tx, row, "hidden", reason, now);
    await tx
      .insertInto("moderation_actions")
      .values({
        annotation_id: id,
        consultation_id: row.consultation_id,
        actor_id: null,
        action: "auto_hide",
        reason,
        at: now,
      })
      .execute();
    await audit(tx, {
      actorId: null,
      action: "annotation.auto_hide",
      entity: "annotation",
      entityId: id,
      details: { flags: open },
    });
    hidden = true;
  }
  return {
    created: !!inserted,
    result: {
      annotationId: id,
      reason: flag.reason,
      note: flag.note,
      createdAt: flag.created_at.toISOString(),
      openFlags: open,
      hidden,
    },
  };
}

/**
 * A moderator hides or restores a comment with a reason the author is shown.
 * Either way the open flags are dealt with: later flags count afresh.
 */
export async function moderate(
  tx: Tx,
  user: AuthUser,
  id: string,
  input: ModerationInput,
  now: Date,
): Promise<AnnotationRow> {
  const row = await lockAnnotation(tx, id);
  if (!row) throw new AppError("not_found", "the annotation was not found");
  if (!canModerate(user, row))
    throw new AppError(
      "forbidden",
      row.consultation_id
        ? "only officials of the consultation's agency, or administrators, moderate its comments"
        : "comments on pages that are not consultations are moderated by administrators",
    );
  if (row.status === "withdrawn")
    throw new AppError("conflict", "this annotation was withdrawn by its author");
  if (input.action === "hide") await setVisibility(tx, row, "hidden", input.reason, now);
  else if (row.status === "hidden") await setVisibility(tx, row, "visible", null, now);
  await tx
    .updateTable("annotation_flags")
    .set({ resolved_at: now })
    .where("annotation_id", "=", id)
    .where("resolved_at", "is", null)
    .execute();
  await tx
    .insertInto("moderation_actions")
    .values({
      annotation_id: id,
      consultation_id: row.consultation_id,
      actor_id: user.id,
      action: input.action,
      reason: input.reason,
      at: now,
    })
    .execute();
  await audit(tx, {
    actorId: user.id,
    action: `annotation.${input.action}`,
    entity: "annotation",
    entityId: id,
    details: { reason: input.reason, was: row.status },
  });
  return (await findAnnotationRow(tx, id)) as AnnotationRow;
}

const person = (id: string | null, name: string | null, role: string | null) =>
  id && name && role
    ? { id, displayName: name, role: role as "citizen" | "official" | "admin" }
    : null;

/** Flagged (open flags) or hidden comments of a consultation, most flagged first. */
export async function moderationQueue(
  db: Kysely<Database>,
  consultationId: string,
): Promise<ModerationItem[]> {
  const rows = await selectAnnotations(db)
    .where("a.consultation_id", "=", consultationId)
    .where((eb) =>
      eb.or([
        eb("a.status", "=", "hidden"),
        eb.exists(
          eb
            .selectFrom("annotation_flags as f")
            .select("f.annotation_id")
            .whereRef("f.annotation_id", "=", "a.id")
            .where("f.resolved_at", "is", null),
        ),
      ]),
    )
    .orderBy("a.id")
    .limit(1000)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const flags = await db
    .selectFrom("annotation_flags as f")
    .innerJoin("users as u", "u.id", "f.user_id")
    .select([
      "f.annotation_id",
      "f.reason",
      "f.note",
      "f.created_at",
      "f.resolved_at",
      "u.id as user_id",
      "u.display_name",
      "u.role",
    ])
    .where("f.annotation_id", "in", ids)
    .orderBy("f.created_at")
    .execute();
  const actions = await db
    .selectFrom("moderation_actions as m")
    .leftJoin("users as u", "u.id", "m.actor_id")
    .select(["m.annotation_id", "m.action", "m.reason", "m.at", "u.id", "u.display_name", "u.role"])
    .where("m.annotation_id", "in", ids)
    .orderBy("m.id")
    .execute();
  const items = rows.map((r): ModerationItem => {
    const mine = flags.filter((f) => f.annotation_id === r.id);
    return {
      annotationId: r.id,
      status: r.status,
      hiddenReason: r.hidden_reason,
      text: r.status === "withdrawn" ? "" : r.text,
      author: { id: r.author_id, displayName: r.author_name, role: r.author_role },
      paragraphKey: r.paragraph_key,
      openFlags: mine.filter((f) => f.resolved_at === null).length,
      flags: mine.map((f) => ({
        by: { id: f.user_id, displayName: f.display_name, role: f.role },
        reason: f.reason,
        note: f.note,
        createdAt: f.created_at.toISOString(),
        resolvedAt: f.resolved_at?.toISOString() ?? null,
      })),
      actions: actions
        .filter((m) => m.annotation_id === r.id)
        .map((m) => ({
          action: m.action,
          reason: m.reason,
          by: person(m.id, m.display_name, m.role),
          at: m.at.toISOString(),
        })),
    };
  });
  return items.sort((a, b) => b.openFlags - a.openFlags);
}
