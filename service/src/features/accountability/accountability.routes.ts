import { createRoute, z } from "@hono/zod-openapi";
import {
  AccountabilitySchema,
  ConsultationSummarySchema,
  PointSchema,
  ScoreboardSchema,
} from "@margin/model";
import { router } from "../../http/context.ts";
import { errors, json } from "../../http/openapi.ts";
import {
  ensureVisibleConsultation,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import { listPoints } from "./points.repository.ts";
import { accountabilityOf } from "./report.ts";
import { scoreboard } from "./scoreboard.ts";
import { consultationSummary } from "./summary.repository.ts";

const _DAY = 86_400_000;

export function accountabilityRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/summary",
      tags: ["aggregation"],
      summary: "Per paragraph: comments, people, +1s, stance split, questions and suggestions",
      request: { params: IdParams },
      responses: {
        200: json(ConsultationSummarySchema, "The summary, busiest paragraph first"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await ensureVisibleConsultation(c, id);
      return c.json(await consultationSummary(c.get("deps").db, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/points",
      tags: ["aggregation"],
      summary:
        "The aggregated points (clusters), largest first, each with whether it has been answered",
      request: { params: IdParams },
      responses: {
        200: json(z.object({ items: z.array(PointSchema) }), "Points"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const consultation = await visibleConsultation(c, id);
      const { db, now } = c.get("deps");
      return c.json(
        { items: await listPoints(db, id, new Date(consultation.respondBy), now()) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/accountability",
      tags: ["aggregation"],
      summary: "Answered, unanswered and overdue points, per paragraph and per official",
      request: { params: IdParams },
      responses: {
        200: json(AccountabilitySchema, "Accountability status"),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const consultation = await visibleConsultation(c, id);
      const { db, now } = c.get("deps");
      return c.json((await accountabilityOf(db, consultation, now())).report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/scoreboard",
      tags: ["aggregation"],
      summary: "Every agency's response rate, median days to answer and overdue points",
      responses: { 200: json(ScoreboardSchema, "The scoreboard") },
    }),
    async (c) => {
      const { db, now } = c.get("deps");
      const at = now();
      const rows = await scoreboard(db, at);
      return c.json(
        {
          generatedAt: at.toISOString(),
          agencies: rows.map(({ consultations, ...r }) => ({
            ...r,
            consultations: consultations.length,
          })),
        },
        200,
      );
    },
  );

  return app;
}
