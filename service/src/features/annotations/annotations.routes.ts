import { createRoute, z } from "@hono/zod-openapi";
import {
  AnnotationInputSchema,
  AnnotationListQuerySchema,
  AnnotationPageSchema,
  AnnotationPatchSchema,
  AnnotationSchema,
  canonicalUrl,
  EndorsementInputSchema,
} from "@margin/model";
import { type Ctx, requireUser, router } from "../../http/context.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { revisionFrom } from "../../http/if-match.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { ensureVisibleConsultation, IdParams } from "../consultations/consultations.routes.ts";
import { scopeOf } from "../sync/change-log.ts";
import { postedComments } from "./annotations.bulk-create.ts";
import {
  type CommandResult,
  createAnnotation,
  editAnnotation,
  setEndorsement,
  withdrawAnnotation,
} from "./annotations.commands.ts";
import {
  type AnnotationRow,
  findAnnotationRow,
  listAnnotations,
  toAnnotation,
} from "./annotations.repository.ts";

const IfMatchHeader = z.object({
  "if-match": z
    .string()
    .max(40)
    .optional()
    .meta({ description: 'The revision being changed, e.g. "3"' }),
});

/**
 * The stored row after a command, or the error that explains why not. A
 * conflict over the revision is 412 and carries the stored copy, so the
 * person sees both versions.
 */
export function appliedRow(c: Ctx, result: CommandResult): AnnotationRow {
  if (result.status === "rejected") throw result.error;
  if (result.status === "conflict") {
    throw new AppError(
      result.stale ? "revision_mismatch" : "conflict",
      result.reason,
      undefined,
      { ETag: `"${result.row.revision}"` },
      toAnnotation(result.row, c.get("user")),
    );
  }
  c.header("ETag", `"${result.row.revision}"`);
  return result.row;
}

export function annotationRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "get",
      path: "/annotations",
      tags: ["annotations"],
      summary: "Annotations on a consultation or a page, optionally one paragraph",
      request: { query: AnnotationListQuerySchema },
      responses: {
        200: json(AnnotationPageSchema, "A page of annotations, oldest first"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { db } = c.get("deps");
      if (q.consultation) await ensureVisibleConsultation(c, q.consultation);
      const scope = q.consultation ? undefined : scopeOf(null, canonicalUrl(q.source as string));
      const { rows, next } = await listAnnotations(db, {
        consultationId: q.consultation,
        scope,
        paragraph: q.paragraph,
        after: q.after,
        limit: q.limit,
      });
      const viewer = c.get("user");
      return c.json({ items: rows.map((r) => toAnnotation(r, viewer)), next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/annotations/{id}",
      tags: ["annotations"],
      summary: "One annotation",
      request: { params: IdParams },
      responses: {
        200: json(AnnotationSchema, "The annotation (ETag: its revision)"),
        404: errors[404],
        400: errors[400],
      },
    }),
    async (c) => {
      const row = await findAnnotationRow(c.get("deps").db, c.req.valid("param").id);
      if (!row) throw notFound("the annotation");
      c.header("ETag", `"${row.revision}"`);
      return c.json(toAnnotation(row, c.get("user")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/annotations",
      tags: ["annotations"],
      summary:
        "Comment, ask, suggest a rewording, or reply. Sending the same id again returns the stored one.",
      security: bearer,
      request: jsonBody(AnnotationInputSchema),
      responses: {
        201: json(AnnotationSchema, "Created"),
        200: json(AnnotationSchema, "Already stored under this id (a retry)"),
        400: errors[400],
        401: errors[401],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const input = c.req.valid("json");
      // A top-level comment is one statement, atomic on its own and shared with
      // whoever posts at the same moment. A reply reads its parent first, so it
      // takes a transaction of its own.
      const result = input.parentId
        ? await db.transaction().execute((tx) => createAnnotation(tx, user, input, now()))
        : await postedComments(db)({ user, input, now: now() });
      const row = appliedRow(c, result);
      const body = toAnnotation(row, user);
      if (result.status !== "applied" || !result.created) return c.json(body, 200);
      c.header("Location", `/v1/annotations/${row.id}`);
      return c.json(body, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/annotations/{id}",
      tags: ["annotations"],
      summary: "Edit your annotation; If-Match carries the revision you edited",
      security: bearer,
      request: { params: IdParams, headers: IfMatchHeader, ...jsonBody(AnnotationPatchSchema) },
      responses: {
        200: json(AnnotationSchema, "Edited"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        412: errors[412],
        428: errors[428],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const base = revisionFrom(c);
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      const result = await db
        .transaction()
        .execute((tx) => editAnnotation(tx, user, id, base, patch, now()));
      return c.json(toAnnotation(appliedRow(c, result), user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/annotations/{id}",
      tags: ["annotations"],
      summary: "Withdraw your annotation (it keeps its place in the thread, without its words)",
      security: bearer,
      request: { params: IdParams, headers: IfMatchHeader },
      responses: {
        200: json(AnnotationSchema, "Withdrawn"),
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        412: errors[412],
        428: errors[428],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const base = revisionFrom(c);
      const { id } = c.req.valid("param");
      const result = await db
        .transaction()
        .execute((tx) => withdrawAnnotation(tx, user, id, base, now()));
      return c.json(toAnnotation(appliedRow(c, result), user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/annotations/{id}/endorsement",
      tags: ["annotations"],
      summary: "+1 (agree), disagree, or take it back (kind null): one per person",
      security: bearer,
      request: { params: IdParams, ...jsonBody(EndorsementInputSchema) },
      responses: {
        200: json(AnnotationSchema, "With the new counts"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const { id } = c.req.valid("param");
      const { kind } = c.req.valid("json");
      const result = await db
        .transaction()
        .execute((tx) => setEndorsement(tx, user, id, kind, now()));
      return c.json(toAnnotation(appliedRow(c, result), user), 200);
    },
  );

  return app;
}
