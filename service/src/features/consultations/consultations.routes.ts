import { createRoute, z } from "@hono/zod-openapi";
import {
  ConsultationInputSchema,
  ConsultationPatchSchema,
  ConsultationSchema,
  HttpUrlSchema,
  IdSchema,
  matchesUrlPattern,
  UrlPatternListSchema,
} from "@margin/model";
import { type AuthUser, type Ctx, requireUser, router } from "../../http/context.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { audit } from "../audit/audit.ts";
import { consultationGate } from "./consultation-gate.ts";
import {
  getConsultation,
  insertConsultation,
  listConsultations,
  officialsOutsideAgency,
  setOfficials,
} from "./consultations.repository.ts";
import { unansweredPoints } from "./unanswered.ts";

export const IdParams = z.object({ id: IdSchema });

/** Officials act for their own agency; admins for any. */
export function actsForAgency(user: AuthUser | null, agencyId: string): boolean {
  return (
    !!user && (user.role === "admin" || (user.role === "official" && user.agency_id === agencyId))
  );
}

/** Drafts exist only for their agency. */
const hiddenFrom = (user: AuthUser | null, status: string, agencyId: string) =>
  status === "draft" && !actsForAgency(user, agencyId);

/** A consultation as this caller may see it: drafts exist only for their agency. */
export async function visibleConsultation(c: Ctx, id: string) {
  const { db, now } = c.get("deps");
  const found = await getConsultation(db, id, now());
  if (!found || hiddenFrom(c.get("user"), found.status, found.agency.id))
    throw notFound("the consultation");
  return found;
}

/**
 * visibleConsultation for routes that only need to know the caller may see
 * it (lists, pulls, the summary): the few columns a write's gate reads,
 * instead of the consultation with its agency and officials (two statements).
 */
export async function ensureVisibleConsultation(c: Ctx, id: string): Promise<void> {
  const { db, now } = c.get("deps");
  const gate = await consultationGate(db, id, now());
  if (!gate || hiddenFrom(c.get("user"), gate.status, gate.agency_id))
    throw notFound("the consultation");
}

export function consultationRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations",
      tags: ["consultations"],
      summary: "Register a consultation (officials of the agency)",
      security: bearer,
      request: jsonBody(ConsultationInputSchema),
      responses: {
        201: json(ConsultationSchema, "Created, as a draft until published"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const input = c.req.valid("json");
      const { db, now } = c.get("deps");
      if (!actsForAgency(user, input.agencyId))
        throw new AppError(
          "forbidden",
          "only officials of that agency can register its consultations",
        );
      const strangers = await officialsOutsideAgency(db, input.agencyId, input.officialIds);
      if (strangers.length)
        throw new AppError(
          "validation_failed",
          "every assigned official must be an official of the agency",
          [
            {
              path: "body.officialIds",
              message: `not officials of this agency: ${strangers.join(", ")}`,
            },
          ],
        );
      const id = await db.transaction().execute(async (tx) => {
        const id = await insertConsultation(tx, input, user.id, now());
        await audit(tx, {
          actorId: user.id,
          action: "consultation.create",
          entity: "consultation",
          entityId: id,
          details: { title: input.title },
        });
        return id;
      });
      c.header("Location", `/v1/consultations/${id}`);
      return c.json(await visibleConsultation(c, id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations",
      tags: ["consultations"],
      summary: "List published consultations",
      request: { query: z.object({ agency: z.string().max(64).optional() }) },
      responses: {
        200: json(z.object({ items: z.array(ConsultationSchema) }), "Consultations, newest first"),
      },
    }),
    async (c) => {
      const { db, now } = c.get("deps");
      const user = c.get("user");
      const includeDraftsOf =
        user?.role === "admin"
          ? "all"
          : user?.role === "official"
            ? (user.agency_id ?? undefined)
            : undefined;
      const items = await listConsultations(
        db,
        { agencySlug: c.req.valid("query").agency, includeDraftsOf },
        now(),
      );
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/lookup",
      tags: ["consultations"],
      summary:
        "Consultations whose URL patterns match a page (for the widget; the extension matches locally)",
      request: { query: z.object({ url: HttpUrlSchema }) },
      responses: {
        200: json(z.object({ items: z.array(ConsultationSchema) }), "Matching consultations"),
        400: errors[400],
      },
    }),
    async (c) => {
      const { db, now } = c.get("deps");
      const { url } = c.req.valid("query");
      const all = await listConsultations(db, {}, now());
      return c.json(
        { items: all.filter((k) => k.urlPatterns.some((p) => matchesUrlPattern(p, url))) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/url-patterns",
      tags: ["consultations"],
      summary: "Every published consultation's URL patterns, so clients match pages locally",
      responses: { 200: json(UrlPatternListSchema, "The list; cache it") },
    }),
    async (c) => {
      const { db, now } = c.get("deps");
      const all = await listConsultations(db, {}, now());
      c.header("Cache-Control", "public, max-age=300");
      return c.json(
        {
          generatedAt: now().toISOString(),
          consultations: all
            .filter((k) => k.urlPatterns.length > 0)
            .map((k) => ({
              id: k.id,
              title: k.title,
              status: k.status,
              urlPatterns: k.urlPatterns,
            })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}",
      tags: ["consultations"],
      summary: "One consultation",
      request: { params: IdParams },
      responses: {
        200: json(ConsultationSchema, "The consultation"),
        404: errors[404],
        400: errors[400],
      },
    }),
    async (c) => c.json(await visibleConsultation(c, c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/consultations/{id}",
      tags: ["consultations"],
      summary: "Change a consultation, publish it, or conclude it (officials of the agency)",
      security: bearer,
      request: { params: IdParams, ...jsonBody(ConsultationPatchSchema) },
      responses: {
        200: json(ConsultationSchema, "Changed"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      const { db, now } = c.get("deps");
      const current = await visibleConsultation(c, id);
      if (!actsForAgency(user, current.agency.id))
        throw new AppError("forbidden", "only officials of the owning agency can change it");

      const opensAt = patch.opensAt ?? current.opensAt;
      const closesAt = patch.closesAt ?? current.closesAt;
      const respondBy = patch.respondBy ?? current.respondBy;
      if (
        !(
          Date.parse(opensAt) < Date.parse(closesAt) &&
          Date.parse(closesAt) <= Date.parse(respondBy)
        )
      )
        throw new AppError("validation_failed", "dates must run opensAt < closesAt <= respondBy", [
          {
            path: "body.closesAt",
            message: `opensAt ${opensAt}, closesAt ${closesAt}, respondBy ${respondBy}`,
          },
        ]);
      if (patch.officialIds) {
        const strangers = await officialsOutsideAgency(db, current.agency.id, patch.officialIds);
        if (strangers.length)
          throw new AppError(
            "validation_failed",
            "every assigned official must be an official of the agency",
            [
              {
                path: "body.officialIds",
                message: `not officials of this agency: ${strangers.join(", ")}`,
              },
            ],
          );
      }
      if (patch.status === "concluded") {
        if (current.status !== "closed")
          throw new AppError(
            "conflict",
            "only a consultation whose comment period has closed can be concluded",
          );
        const open = await unansweredPoints(db, id);
        if (open > 0)
          throw new AppError(
            "conflict",
            `${open} point(s) still wait for an official answer; answer them before concluding`,
          );
      }
      if (patch.status === "draft" && current.status !== "draft") {
        const n = await unansweredPoints(db, id);
        if (n > 0)
          throw new AppError(
            "conflict",
            "a consultation that has comments cannot go back to draft",
          );
      }

      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("consultations")
          .set({
            title: patch.title,
            summary: patch.summary,
            locale: patch.locale,
            url_patterns: patch.urlPatterns,
            opens_at: patch.opensAt,
            closes_at: patch.closesAt,
            respond_by: patch.respondBy,
            status: patch.status,
            updated_at: now(),
          })
          .where("id", "=", id)
          .execute();
        if (patch.officialIds) await setOfficials(tx, id, patch.officialIds);
        await audit(tx, {
          actorId: user.id,
          action: "consultation.update",
          entity: "consultation",
          entityId: id,
          details: patch,
        });
      });
      return c.json(await visibleConsultation(c, id), 200);
    },
  );

  return app;
}
