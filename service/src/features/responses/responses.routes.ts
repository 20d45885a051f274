import { createRoute, z } from "@hono/zod-openapi";
import {
  OfficialResponseSchema,
  PublishInputSchema,
  ResponseInputSchema,
  ResponsePatchSchema,
  type ResponseTarget,
} from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { type AuthUser, type Ctx, requireUser, router } from "../../http/context.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { revisionFrom } from "../../http/if-match.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { audit } from "../audit/audit.ts";
import {
  actsForAgency,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import { recordChange, scopeOf } from "../sync/change-log.ts";
import {
  recordPublishedRevision,
  selectResponses,
  targetColumns,
  toResponses,
} from "./responses.repository.ts";

/** The thing answered must belong to the consultation. */
async function targetExists(
  db: Kysely<Database>,
  consultationId: string,
  t: ResponseTarget,
): Promise<boolean> {
  if (t.type === "annotation") {
    return !!(await db
      .selectFrom("annotations")
      .select("id")
      .where("id", "=", t.id)
      .where("consultation_id", "=", consultationId)
      .executeTakeFirst());
  }
  if (t.type === "cluster") {
    return !!(await db
      .selectFrom("clusters")
      .select("id")
      .where("id", "=", t.id)
      .where("consultation_id", "=", consultationId)
      .executeTakeFirst());
  }
  // A paragraph of any version of the draft, or one that comments were made on.
  const inDraft = await db
    .selectFrom("paragraphs")
    .select("key")
    .where("consultation_id", "=", consultationId)
    .where("key", "=", t.key)
    .executeTakeFirst();
  if (inDraft) return true;
  return !!(await db
    .selectFrom("annotations")
    .select("id")
    .where("consultation_id", "=", consultationId)
    .where("paragraph_key", "=", t.key)
    .executeTakeFirst());
}

async function officialFor(c: Ctx, consultationId: string): Promise<AuthUser> {
  const user = requireUser(c);
  const consultation = await visibleConsultation(c, consultationId);
  if (!actsForAgency(user, consultation.agency.id))
    throw new AppError("forbidden", "only officials of the owning agency answer its consultations");
  return user;
}

async function loadOne(db: Kysely<Database>, id: string) {
  const row = await selectResponses(db).where("r.id", "=", id).executeTakeFirst();
  return row ? (await toResponses(db, [row]))[0] : undefined;
}

export function responseRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations/{id}/responses",
      tags: ["responses"],
      summary:
        "Answer a point, a paragraph or a comment (officials of the agency); a draft unless publish is true",
      security: bearer,
      request: { params: IdParams, ...jsonBody(ResponseInputSchema) },
      responses: {
        201: json(OfficialResponseSchema, "Stored"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id: consultationId } = c.req.valid("param");
      const input = c.req.valid("json");
      const user = await officialFor(c, consultationId);
      const { db, now } = c.get("deps");
      if (!(await targetExists(db, consultationId, input.target)))
        throw new AppError(
          "validation_failed",
          `no ${input.target.type} with that ${input.target.type === "paragraph" ? "key" : "id"} in this consultation`,
          [
            {
              path: `body.target.${input.target.type === "paragraph" ? "key" : "id"}`,
              message: "not found in this consultation",
            },
          ],
        );
      const at = now();
      const id = await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto("responses")
          .values({
            consultation_id: consultationId,
            ...targetColumns(input.target),
            official_id: user.id,
            text: input.text,
            disposition: input.disposition,
            cites_version: input.citesChange?.version ?? null,
            cites_paragraph: input.citesChange?.paragraphKey ?? null,
            status: input.publish ? "published" : "draft",
            revision: 1,
            created_at: at,
            updated_at: at,
            published_at: input.publish ? at : null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (input.publish) {
          await recordPublishedRevision(tx, row.id, at);
          await recordChange(tx, scopeOf(consultationId, ""), "response", row.id);
        }
        await audit(tx, {
          actorId: user.id,
          action: input.publish ? "response.publish" : "response.draft",
          entity: "response",
          entityId: row.id,
          details: { target: input.target, disposition: input.disposition },
        });
        return row.id;
      });
      c.header("Location", `/v1/responses/${id}`);
      c.header("ETag", '"1"');
      return c.json((await loadOne(db, id)) as z.infer<typeof OfficialResponseSchema>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/responses/{id}",
      tags: ["responses"],
      summary: "Revise an answer; once published, every revision stays in its public history",
      security: bearer,
      request: { params: IdParams, ...jsonBody(ResponsePatchSchema) },
      responses: {
        200: json(OfficialResponseSchema, "Revised"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        412: errors[412],
        428: errors[428],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      const { db, now } = c.get("deps");
      const existing = await db
        .selectFrom("responses")
        .select(["consultation_id"])
        .where("id", "=", id)
        .executeTakeFirst();
      if (!existing) throw notFound("the response");
      const user = await officialFor(c, existing.consultation_id);
      const base = revisionFrom(c);
      const at = now();
      await db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom("responses")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (row.revision !== base)
          throw new AppError(
            "revision_mismatch",
            `this answer is at revision ${row.revision}; yours was based on ${base}`,
          );
        await tx
          .updateTable("responses")
          .set({
            text: patch.text ?? row.text,
            disposition: patch.disposition ?? row.disposition,
            cites_version:
              patch.citesChange === undefined
                ? row.cites_version
                : (patch.citesChange?.version ?? null),
            cites_paragraph:
              patch.citesChange === undefined
                ? row.cites_paragraph
                : (patch.citesChange?.paragraphKey ?? null),
            official_id: user.id,
            revision: row.revision + 1,
            updated_at: at,
          })
          .where("id", "=", id)
          .execute();
        if (row.status === "published") {
          await recordPublishedRevision(tx, id, at);
          await recordChange(tx, scopeOf(row.consultation_id, ""), "response", id);
        }
        await audit(tx, {
          actorId: user.id,
          action: "response.revise",
          entity: "response",
          entityId: id,
          details: patch,
        });
      });
      const out = (await loadOne(db, id)) as z.infer<typeof OfficialResponseSchema>;
      c.header("ETag", `"${out.revision}"`);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations/{id}/responses/publish",
      tags: ["responses"],
      summary: "Publish one or many draft answers at once",
      security: bearer,
      request: { params: IdParams, ...jsonBody(PublishInputSchema) },
      responses: {
        200: json(z.object({ items: z.array(OfficialResponseSchema) }), "Now public"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id: consultationId } = c.req.valid("param");
      const { ids } = c.req.valid("json");
      const user = await officialFor(c, consultationId);
      const { db, now } = c.get("deps");
      const at = now();
      await db.transaction().execute(async (tx) => {
        const found = await tx
          .selectFrom("responses")
          .select(["id", "status"])
          .where("consultation_id", "=", consultationId)
          .where("id", "in", ids)
          .forUpdate()
          .execute();
        const missing = ids.filter((x) => !found.some((f) => f.id === x));
        if (missing.length)
          throw new AppError("validation_failed", "some answers are not in this consultation", [
            { path: "body.ids", message: `unknown: ${missing.join(", ")}` },
          ]);
        for (const r of found) {
          if (r.status === "published") continue;
          await tx
            .updateTable("responses")
            .set({ status: "published", published_at: at, updated_at: at })
            .where("id", "=", r.id)
            .execute();
          await recordPublishedRevision(tx, r.id, at);
          await recordChange(tx, scopeOf(consultationId, ""), "response", r.id);
          await audit(tx, {
            actorId: user.id,
            action: "response.publish",
            entity: "response",
            entityId: r.id,
          });
        }
      });
      const rows = await selectResponses(db)
        .where("r.id", "in", ids)
        .orderBy("r.created_at")
        .execute();
      return c.json({ items: await toResponses(db, rows) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/responses",
      tags: ["responses"],
      summary:
        "The answers on a consultation: published ones for everyone, drafts too for the agency",
      request: { params: IdParams },
      responses: {
        200: json(z.object({ items: z.array(OfficialResponseSchema) }), "Answers, oldest first"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const consultation = await visibleConsultation(c, id);
      const { db } = c.get("deps");
      let q = selectResponses(db).where("r.consultation_id", "=", id).orderBy("r.created_at");
      if (!actsForAgency(c.get("user"), consultation.agency.id))
        q = q.where("r.status", "=", "published");
      const rows = await q.execute();
      return c.json({ items: await toResponses(db, rows) }, 200);
    },
  );

  return app;
}
