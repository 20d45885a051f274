import { createRoute, z } from "@hono/zod-openapi";
import { ImportReportSchema } from "@margin/model";
import { requireUser, router } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { bearer, errors } from "../../http/openapi.ts";
import {
  actsForAgency,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import { importAnnotations } from "./import.service.ts";

/** Import files are whole exports from elsewhere; app.ts gives this route a larger body limit. */
export const IMPORT_PATH = /^\/v1\/consultations\/[^/]+\/import$/;

export function importRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations/{id}/import",
      tags: ["open data"],
      summary:
        "Import W3C Web Annotations or a Hypothesis export into the consultation (officials of the agency, admins); answers what was anchored, orphaned, refused",
      security: bearer,
      request: {
        params: IdParams,
        body: {
          required: true,
          description:
            "A W3C annotation, an array of them, an AnnotationCollection/AnnotationPage; or Hypothesis's JSON export ({annotations}), API answer ({rows}) or an array of its annotations. At most 20 MB.",
          content: {
            "application/json": {
              schema: z.union([z.looseObject({}), z.array(z.unknown())]),
            },
          },
        },
      },
      responses: {
        200: {
          description:
            "What was imported; refused items are listed and nothing of them is stored (when every item is refused: 400 with each reason in details)",
          content: { "application/json": { schema: ImportReportSchema } },
        },
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
        throw new AppError("forbidden", "only officials of the owning agency can import into it");
      const { db, now } = c.get("deps");
      const report = await importAnnotations(
        db,
        {
          consultationId: id,
          agencyId: consultation.agency.id,
          currentVersion: consultation.currentVersion,
        },
        c.req.valid("json"),
        now(),
      );
      // Nothing taken and something refused: the file as a whole was not importable.
      if (report.imported === 0 && report.duplicates === 0 && report.refused.length > 0)
        throw new AppError(
          "validation_failed",
          `none of the ${report.refused.length} annotation(s) could be imported; the first: ${report.refused[0]?.reason}`,
          report.refused.map((r) => ({ path: `item.${r.index}`, message: r.reason })),
        );
      return c.json(report, 200);
    },
  );
  return app;
}
