import { createRoute } from "@hono/zod-openapi";
import {
  AnnotationSchema,
  FlagInputSchema,
  FlagResultSchema,
  ModerationInputSchema,
  ModerationQueueSchema,
} from "@margin/model";
import { requireUser, router } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { toAnnotation } from "../annotations/annotations.repository.ts";
import {
  actsForAgency,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import { limitsOf } from "../rate-limits/limits.ts";
import { addFlag, moderate, moderationQueue } from "./moderation.repository.ts";

export function moderationRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/annotations/{id}/flags",
      tags: ["moderation"],
      summary:
        "Report a comment (spam, abuse, off topic, personal data, other): one per person; enough people hide it pending review",
      security: bearer,
      request: { params: IdParams, ...jsonBody(FlagInputSchema) },
      responses: {
        201: json(FlagResultSchema, "Flagged"),
        200: json(FlagResultSchema, "You had already flagged it: your first flag"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        429: errors[429],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const deps = c.get("deps");
      const { id } = c.req.valid("param");
      const input = c.req.valid("json");
      const threshold = limitsOf(deps).flagsToHide;
      const { created, result } = await deps.db
        .transaction()
        .execute((tx) => addFlag(tx, user, id, input, deps.now(), threshold));
      return c.json(result, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/annotations/{id}/moderation",
      tags: ["moderation"],
      summary:
        "Hide or restore a comment, with a reason shown to its author (officials of the consultation's agency, or admins)",
      security: bearer,
      request: { params: IdParams, ...jsonBody(ModerationInputSchema) },
      responses: {
        200: json(AnnotationSchema, "The annotation as moderators see it"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        429: errors[429],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const { id } = c.req.valid("param");
      const input = c.req.valid("json");
      const row = await db.transaction().execute((tx) => moderate(tx, user, id, input, now()));
      c.header("ETag", `"${row.revision}"`);
      return c.json(toAnnotation(row, user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/moderation",
      tags: ["moderation"],
      summary:
        "Flagged and hidden comments with their flags and moderators' decisions (officials of the agency, or admins)",
      security: bearer,
      request: { params: IdParams },
      responses: {
        200: json(ModerationQueueSchema, "Most flagged first"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      const consultation = await visibleConsultation(c, id);
      if (!actsForAgency(user, consultation.agency.id))
        throw new AppError("forbidden", "only the agency's officials, or admins, see this");
      return c.json({ items: await moderationQueue(c.get("deps").db, id) }, 200);
    },
  );

  return app;
}
