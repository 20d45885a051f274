import { createRoute, z } from "@hono/zod-openapi";
import { ClusterOverrideInputSchema, PointSchema } from "@margin/model";
import { type Kysely, sql } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";
import { requireUser, router } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { listPoints } from "../accountability/points.repository.ts";
import { audit } from "../audit/audit.ts";
import { applyOverrides, type ClusterOverride } from "../clusters/index.ts";
import {
  actsForAgency,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import { refreshClusters } from "./clustering.worker.ts";

/**
 * Recomputes every comment's point from the computed clusters and all of the
 * officials' overrides, in order: the officials' word survives any
 * recomputation because it is replayed on top of it.
 */
export async function reapplyOverrides(tx: Kysely<Database>, consultationId: string) {
  const rows = await tx
    .selectFrom("annotations")
    .select(["id", "computed_cluster_id", "cluster_id", "paragraph_key"])
    .where("consultation_id", "=", consultationId)
    .where("computed_cluster_id", "is not", null)
    .orderBy("id")
    .execute();
  const overrides = await tx
    .selectFrom("cluster_overrides")
    .selectAll()
    .where("consultation_id", "=", consultationId)
    .orderBy("id")
    .execute();
  const computed = new Map(rows.map((r) => [r.id, r.computed_cluster_id as string]));
  const list: ClusterOverride[] = overrides.map((o) =>
    o.kind === "merge"
      ? { type: "merge", from: o.from_cluster as string, into: o.into_cluster as string }
      : { type: "split", memberId: o.member_id as string },
  );
  const effective = applyOverrides(computed, list);
  const changed = rows
    .filter((r) => effective.get(r.id) !== r.cluster_id)
    .map((r) => ({ id: r.id, e: effective.get(r.id) as string, p: r.paragraph_key }));
  if (changed.length === 0) return;
  const clusterIds = [...new Set(changed.map((c) => c.e))];
  const existing = new Set(
    (await tx.selectFrom("clusters").select("id").where("id", "in", clusterIds).execute()).map(
      (r) => r.id,
    ),
  );
  const missing = clusterIds.filter((id) => !existing.has(id));
  if (missing.length) {
    const para = new Map(changed.map((c) => [c.id, c.p]));
    await tx
      .insertInto("clusters")
      .values(
        missing.map((id) => ({
          id,
          consultation_id: consultationId,
          paragraph_key: para.get(id) ?? null,
          representative_id: id,
          size: 0,
        })),
      )
      .execute();
  }
  const before = [
    ...new Set(
      rows.filter((r) => changed.some((c) => c.id === r.id)).map((r) => r.cluster_id as string),
    ),
  ];
  await sql`update annotations set cluster_id = v.e from jsonb_to_recordset(${jsonb(changed.map(({ id, e }) => ({ id, e })))}) as v(id uuid, e uuid) where annotations.id = v.id`.execute(
    tx,
  );
  await refreshClusters(tx, [...new Set([...clusterIds, ...before])]);
}

export function clusteringRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations/{id}/clusters/overrides",
      tags: ["aggregation"],
      summary:
        "Merge two points, or split a comment out of its point (officials of the agency); kept across recomputation",
      security: bearer,
      request: { params: IdParams, ...jsonBody(ClusterOverrideInputSchema) },
      responses: {
        200: json(z.object({ items: z.array(PointSchema) }), "The points after the change"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      const input = c.req.valid("json");
      const consultation = await visibleConsultation(c, id);
      if (!actsForAgency(user, consultation.agency.id))
        throw new AppError(
          "forbidden",
          "only officials of the owning agency can merge or split its points",
        );
      const { db, now } = c.get("deps");
      const refs = input.kind === "merge" ? [input.from, input.into] : [input.memberId];
      const known = await db
        .selectFrom("annotations")
        .select(["id", "cluster_id"])
        .where("consultation_id", "=", id)
        .where((eb) => eb.or([eb("id", "in", refs), eb("cluster_id", "in", refs)]))
        .execute();
      for (const [i, ref] of refs.entries()) {
        if (!known.some((k) => k.id === ref || k.cluster_id === ref)) {
          const field = input.kind === "merge" ? (i === 0 ? "from" : "into") : "memberId";
          throw new AppError("validation_failed", "no such point or comment in this consultation", [
            { path: `body.${field}`, message: "not found in this consultation" },
          ]);
        }
      }
      await db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`cluster:${id}`}))`.execute(tx);
        await tx
          .insertInto("cluster_overrides")
          .values({
            consultation_id: id,
            kind: input.kind,
            from_cluster: input.kind === "merge" ? input.from : null,
            into_cluster: input.kind === "merge" ? input.into : null,
            member_id: input.kind === "split" ? input.memberId : null,
            actor_id: user.id,
          })
          .execute();
        await reapplyOverrides(tx, id);
        await audit(tx, {
          actorId: user.id,
          action: `cluster.${input.kind}`,
          entity: "consultation",
          entityId: id,
          details: input,
        });
      });
      return c.json(
        { items: await listPoints(db, id, new Date(consultation.respondBy), now()) },
        200,
      );
    },
  );

  return app;
}
