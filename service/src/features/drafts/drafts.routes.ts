import { createRoute, z } from "@hono/zod-openapi";
import {
  DraftVersionInputSchema,
  DraftVersionSchema,
  IdSchema,
  VersionChangesSchema,
} from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { requireUser, router } from "../../http/context.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { audit } from "../audit/audit.ts";
import {
  actsForAgency,
  ensureVisibleConsultation,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import { recordVersionChanges, versionChanges } from "../versions/versions.repository.ts";
import { cleanDraftHtml, extractParagraphs, paragraphsToHtml } from "./draft-html.ts";

export async function loadVersion(db: Kysely<Database>, consultationId: string, version: number) {
  const v = await db
    .selectFrom("draft_versions")
    .selectAll()
    .where("consultation_id", "=", consultationId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (!v) return null;
  const paragraphs = await db
    .selectFrom("paragraphs")
    .select(["key", "ordinal", "text", "text_hash"])
    .where("consultation_id", "=", consultationId)
    .where("version", "=", version)
    .orderBy("ordinal")
    .execute();
  return {
    consultationId,
    version: v.version,
    note: v.note,
    createdAt: v.created_at.toISOString(),
    html: v.html,
    paragraphs: paragraphs.map((p) => ({
      key: p.key,
      ordinal: p.ordinal,
      text: p.text,
      textHash: p.text_hash,
    })),
  };
}

/** Stores a new version of a draft and makes it current. */
export async function addDraftVersion(
  db: Kysely<Database>,
  consultationId: string,
  input:
    | { html: string; note: string }
    | { paragraphs: { key?: string; text: string }[]; note: string },
  actorId: string,
) {
  const html = cleanDraftHtml("html" in input ? input.html : paragraphsToHtml(input.paragraphs));
  const paragraphs = extractParagraphs(html);
  if (paragraphs.length === 0)
    throw new AppError("validation_failed", "no paragraphs of text were found in this draft", [
      { path: "html" in input ? "body.html" : "body.paragraphs", message: "no commentable text" },
    ]);
  return db.transaction().execute(async (tx) => {
    // Locking the consultation row numbers concurrent uploads one after another.
    const c = await tx
      .selectFrom("consultations")
      .select("current_version")
      .where("id", "=", consultationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const version = (c.current_version ?? 0) + 1;
    await tx
      .insertInto("draft_versions")
      .values({
        consultation_id: consultationId,
        version,
        note: input.note,
        html,
        created_by: actorId,
      })
      .execute();
    for (let i = 0; i < paragraphs.length; i += 1000) {
      await tx
        .insertInto("paragraphs")
        .values(
          paragraphs.slice(i, i + 1000).map((p) => ({
            consultation_id: consultationId,
            version,
            key: p.key,
            ordinal: p.ordinal,
            text: p.text,
            text_hash: p.textHash,
          })),
        )
        .execute();
    }
    await tx
      .updateTable("consultations")
      .set({ current_version: version })
      .where("id", "=", consultationId)
      .execute();
    await recordVersionChanges(tx, consultationId, version);
    await audit(tx, {
      actorId,
      action: "draft.version",
      entity: "consultation",
      entityId: consultationId,
      details: { version, paragraphs: paragraphs.length },
    });
    return version;
  });
}

export function draftRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations/{id}/versions",
      tags: ["drafts"],
      summary:
        "Add a version of the draft, as HTML or as a list of paragraphs (officials of the agency)",
      security: bearer,
      request: { params: IdParams, ...jsonBody(DraftVersionInputSchema) },
      responses: {
        201: json(DraftVersionSchema, "Stored and made current"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        413: errors[413],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      const consultation = await visibleConsultation(c, id);
      if (!actsForAgency(user, consultation.agency.id))
        throw new AppError("forbidden", "only officials of the owning agency can change the draft");
      const { db } = c.get("deps");
      const version = await addDraftVersion(db, id, c.req.valid("json"), user.id);
      c.header("Location", `/v1/consultations/${id}/versions/${version}`);
      return c.json(
        (await loadVersion(db, id, version)) as z.infer<typeof DraftVersionSchema>,
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/versions/{version}",
      tags: ["drafts"],
      summary: "A version of the draft with its paragraphs (`current` for the latest)",
      request: {
        params: z.object({
          id: IdSchema,
          version: z.union([z.literal("current"), z.coerce.number().int().min(1).max(100_000)]),
        }),
      },
      responses: {
        200: json(DraftVersionSchema, "The version"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id, version } = c.req.valid("param");
      const consultation = await visibleConsultation(c, id);
      const n = version === "current" ? consultation.currentVersion : version;
      const v = n ? await loadVersion(c.get("deps").db, id, n) : null;
      if (!v) throw notFound("that version of the draft");
      return c.json(v, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/versions/{version}/changes",
      tags: ["drafts"],
      summary:
        "What this version changed in the previous one, paragraph by paragraph, and where each comment went",
      request: {
        params: z.object({ id: IdSchema, version: z.coerce.number().int().min(2).max(100_000) }),
      },
      responses: {
        200: json(VersionChangesSchema, "The changes"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id, version } = c.req.valid("param");
      await ensureVisibleConsultation(c, id);
      const { db } = c.get("deps");
      const [before, after] = await Promise.all([
        loadVersion(db, id, version - 1),
        loadVersion(db, id, version),
      ]);
      if (!before || !after) throw notFound("that version of the draft");
      const oldText = new Map(before.paragraphs.map((p) => [p.key, p.text]));
      const newText = new Map(after.paragraphs.map((p) => [p.key, p.text]));
      const { changes, carry } = await versionChanges(db, id, version);
      return c.json(
        {
          consultationId: id,
          version,
          from: version - 1,
          paragraphs: changes.map((ch) => ({
            oldKey: ch.old_key,
            kind: ch.kind,
            newKeys: ch.new_keys,
            similarity: ch.similarity,
            oldText: ch.old_key ? (oldText.get(ch.old_key) ?? null) : null,
            newText: ch.new_keys.length
              ? ch.new_keys.map((k) => newText.get(k) ?? "").join("\n")
              : null,
          })),
          annotations: carry.map((a) => ({
            annotationId: a.annotation_id,
            status: a.status,
            paragraphKey: a.paragraph_key,
            oldText: a.old_text,
            newText: a.new_text,
          })),
        },
        200,
      );
    },
  );

  return app;
}
