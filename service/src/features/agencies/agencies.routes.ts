import { createRoute, z } from "@hono/zod-openapi";
import {
  AgencyInputSchema,
  AgencyPatchSchema,
  AgencySchema,
  AgencyWebhookSchema,
  CreateUserInputSchema,
  IdSchema,
  PublicPersonSchema,
  UserSchema,
} from "@margin/model";
import { jsonb } from "../../db/jsonb.ts";
import { requireAdmin, requireUser, router } from "../../http/context.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { audit } from "../audit/audit.ts";
import { createUser } from "../auth/users.repository.ts";
import { actsForAgency } from "../consultations/consultations.routes.ts";
import { createAgency, listAgencies, toAgency } from "./agencies.repository.ts";

export function agencyRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "get",
      path: "/agencies",
      tags: ["agencies"],
      summary: "Every agency",
      responses: { 200: json(z.object({ items: z.array(AgencySchema) }), "Agencies by slug") },
    }),
    async (c) => c.json({ items: await listAgencies(c.get("deps").db) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/agencies",
      tags: ["agencies"],
      summary: "Register an agency (administrators)",
      security: bearer,
      request: jsonBody(AgencyInputSchema),
      responses: {
        201: json(AgencySchema, "Created"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        409: errors[409],
      },
    }),
    async (c) => {
      const admin = requireAdmin(c);
      const { db } = c.get("deps");
      const agency = await db.transaction().execute(async (tx) => {
        const a = await createAgency(tx, c.req.valid("json"));
        if (a)
          await audit(tx, {
            actorId: admin.id,
            action: "agency.create",
            entity: "agency",
            entityId: a.id,
            details: { slug: a.slug },
          });
        return a;
      });
      if (!agency) throw new AppError("conflict", "an agency with this slug already exists");
      return c.json(agency, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/users",
      tags: ["agencies"],
      summary:
        "Create an account: administrators create anyone; officials create officials of their own agency",
      security: bearer,
      request: jsonBody(CreateUserInputSchema),
      responses: {
        201: json(UserSchema, "Created"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        409: errors[409],
      },
    }),
    async (c) => {
      const actor = requireUser(c);
      const input = c.req.valid("json");
      const allowed =
        actor.role === "admin" ||
        (actor.role === "official" &&
          input.role === "official" &&
          input.agencyId === actor.agency_id);
      if (!allowed)
        throw new AppError(
          "forbidden",
          "only administrators, or officials for their own agency, create accounts here",
        );
      const { db } = c.get("deps");
      if (input.agencyId) {
        const exists = await db
          .selectFrom("agencies")
          .select("id")
          .where("id", "=", input.agencyId)
          .executeTakeFirst();
        if (!exists)
          throw new AppError("validation_failed", "no such agency", [
            { path: "body.agencyId", message: "no agency has this id" },
          ]);
      }
      const user = await db.transaction().execute(async (tx) => {
        const u = await createUser(tx, input);
        if (u)
          await audit(tx, {
            actorId: actor.id,
            action: "user.create",
            entity: "user",
            entityId: u.id,
            details: { role: u.role },
          });
        return u;
      });
      if (!user) throw new AppError("conflict", "an account with this email already exists");
      return c.json(user, 201);
    },
  );

  const AgencyParams = z.object({ id: IdSchema });

  app.openapi(
    createRoute({
      method: "patch",
      path: "/agencies/{id}",
      tags: ["agencies"],
      summary:
        "Change an agency's names, domains or webhook URL (its officials, or administrators)",
      security: bearer,
      request: { params: AgencyParams, ...jsonBody(AgencyPatchSchema) },
      responses: {
        200: json(AgencySchema, "Changed"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      if (!actsForAgency(user, id))
        throw new AppError(
          "forbidden",
          "only the agency's officials or an administrator can change it",
        );
      const { db } = c.get("deps");
      const row = await db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable("agencies")
          .set({
            name: patch.name === undefined ? undefined : jsonb(patch.name),
            domains: patch.domains,
            webhook_url: patch.webhookUrl,
          })
          .where("id", "=", id)
          .returning(["id", "slug", "name", "domains"])
          .executeTakeFirst();
        if (r)
          await audit(tx, {
            actorId: user.id,
            action: "agency.update",
            entity: "agency",
            entityId: id,
            details: patch,
          });
        return r;
      });
      if (!row) throw notFound("the agency");
      return c.json(toAgency(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/agencies/{id}/officials",
      tags: ["agencies"],
      summary: "The agency's officials (public: who is responsible is public record)",
      request: { params: AgencyParams },
      responses: {
        200: json(z.object({ items: z.array(PublicPersonSchema) }), "Officials by name"),
        400: errors[400],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const rows = await c
        .get("deps")
        .db.selectFrom("users")
        .select(["id", "display_name", "role"])
        .where("agency_id", "=", id)
        .where("role", "=", "official")
        .orderBy("display_name")
        .execute();
      return c.json(
        { items: rows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role })) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/agencies/{id}/webhook",
      tags: ["agencies"],
      summary: "The agency's webhook URL and signing secret (its officials, or administrators)",
      security: bearer,
      request: { params: AgencyParams },
      responses: {
        200: json(AgencyWebhookSchema, "Webhook settings"),
        401: errors[401],
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      if (!actsForAgency(user, id))
        throw new AppError(
          "forbidden",
          "only the agency's officials or an administrator can see its webhook secret",
        );
      const row = await c
        .get("deps")
        .db.selectFrom("agencies")
        .select(["webhook_url", "webhook_secret"])
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) throw notFound("the agency");
      return c.json(
        {
          url: row.webhook_url,
          secret: row.webhook_secret,
          signatureHeader: "Margin-Signature" as const,
        },
        200,
      );
    },
  );

  return app;
}
