import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../../http/context.ts";
import { errors } from "../../http/openapi.ts";
import { IdParams, visibleConsultation } from "../consultations/consultations.routes.ts";
import { EXPORT_FORMATS, exportChunks, exportMediaTypes } from "./export-formats.ts";
import { byteStream, openExport } from "./export-source.ts";

const ExportQuery = z.strictObject({
  format: z
    .enum(EXPORT_FORMATS)
    .default("json")
    .meta({ description: "json (Margin's shape), csv (one row per comment) or jsonld (W3C)" }),
});

const extension = { json: "json", csv: "csv", jsonld: "jsonld" } as const;

export function exportRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/export",
      tags: ["open data"],
      summary:
        "Every public comment of a consultation with the officials' published answers, streamed: JSON, CSV or W3C Web Annotation JSON-LD",
      request: { params: IdParams, query: ExportQuery },
      responses: {
        200: {
          description: "The export, streamed as it is read",
          content: {
            [exportMediaTypes.json]: { schema: z.object({}).passthrough() },
            [exportMediaTypes.csv]: { schema: z.string() },
            [exportMediaTypes.jsonld]: { schema: z.object({}).passthrough() },
          },
        },
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { format } = c.req.valid("query");
      const consultation = await visibleConsultation(c, id);
      const { db, now, publicUrl } = c.get("deps");
      const source = await openExport(db, consultation, publicUrl, now());
      return c.body(byteStream(exportChunks(format, source)), 200, {
        "Content-Type": exportMediaTypes[format],
        "Content-Disposition": `attachment; filename="consultation-${id}.${extension[format]}"`,
        "Cache-Control": "no-store",
      }) as never;
    },
  );

  return app;
}
