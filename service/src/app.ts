import { accountabilityRoutes } from "./features/accountability/accountability.routes.ts";
import { agencyRoutes } from "./features/agencies/agencies.routes.ts";
import { annotationRoutes } from "./features/annotations/annotations.routes.ts";
import { authRoutes } from "./features/auth/auth.routes.ts";
import { clusteringRoutes } from "./features/clustering/clustering.routes.ts";
import { consultationRoutes } from "./features/consultations/consultations.routes.ts";
import { draftRoutes } from "./features/drafts/drafts.routes.ts";
import { containerRoutes, protocolOptions } from "./features/exports/container.routes.ts";
import { exportRoutes } from "./features/exports/exports.routes.ts";
import { IMPORT_PATH, importRoutes } from "./features/imports/imports.routes.ts";
import { moderationRoutes } from "./features/moderation/moderation.routes.ts";
import { throttleLogin } from "./features/rate-limits/rate-limits.middleware.ts";
import { responseRoutes } from "./features/responses/responses.routes.ts";
import { syncRoutes } from "./features/sync/sync.routes.ts";
import { type Deps, router } from "./http/context.ts";
import { anyOriginCors } from "./http/cors.ts";
import { errorBody, toErrorResponse } from "./http/errors.ts";
import { authenticate, limitBody, requireJsonBody, startAdmission } from "./http/middleware.ts";
import { guardInput } from "./security/input-guards.ts";
import { passwordRoutes } from "./security/password.routes.ts";
import { changesPageRoutes } from "./web/changes-page.ts";
import { consoleRoutes } from "./web/console.ts";
import { docsRoutes } from "./web/docs.ts";
import { pageRoutes } from "./web/pages.ts";
import { widgetRoutes } from "./web/widget.ts";

export type { Deps } from "./http/context.ts";

/** Request body ceilings: small by default, larger where batches or whole drafts travel. */
const KB = 1024;
const bodyLimits = {
  default: limitBody(256 * KB),
  push: limitBody(4096 * KB),
  draft: limitBody(6144 * KB),
  import: limitBody(20 * 1024 * KB),
};

/**
 * The whole HTTP service over one database. Holds no state of its own, so any
 * number of these can serve the same database side by side.
 */
export function createApp(deps: Deps) {
  const app = router();

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  if (deps.writes) {
    const writes = deps.writes;
    app.use("/v1/*", async (c, next) => {
      if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.method !== "OPTIONS")
        writes.mark();
      await next();
    });
  }
  app.use("/v1/consultations/*", protocolOptions);
  // Bearer tokens, never cookies: any origin may call, and none rides on a person's cookies.
  app.use(
    "/v1/*",
    anyOriginCors({
      origin: "*",
      allowHeaders: ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Prefer"],
      allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: [
        "ETag",
        "Location",
        "Retry-After",
        "Link",
        "Allow",
        "Accept-Post",
        "Preference-Applied",
      ],
      maxAge: 600,
    }),
  );
  app.use("/v1/*", (c, next) => {
    const p = c.req.path;
    if (p === "/v1/sync/push") return bodyLimits.push(c, next);
    if (/^\/v1\/consultations\/[^/]+\/versions$/.test(p)) return bodyLimits.draft(c, next);
    if (IMPORT_PATH.test(p)) return bodyLimits.import(c, next);
    return bodyLimits.default(c, next);
  });
  app.use("/v1/*", startAdmission);
  app.use("/v1/*", requireJsonBody);
  app.use("/v1/*", guardInput);
  // Writes are counted against their limits here too. Limits live in the
  // database, so every instance shares them.
  app.use("/v1/*", authenticate);
  app.use("/v1/auth/login", throttleLogin);

  app.route("/v1", authRoutes());
  app.route("/v1", agencyRoutes());
  app.route("/v1", consultationRoutes());
  app.route("/v1", draftRoutes());
  app.route("/v1", annotationRoutes());
  app.route("/v1", syncRoutes());
  app.route("/v1", responseRoutes());
  app.route("/v1", accountabilityRoutes());
  app.route("/v1", clusteringRoutes());
  app.route("/v1", moderationRoutes());
  app.route("/v1", passwordRoutes());
  app.route("/v1", exportRoutes());
  app.route("/v1", containerRoutes());
  app.route("/v1", importRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Margin API",
      version: "1",
      description:
        "Public comment on draft regulations: annotations, consultations, sync and official responses.",
    },
  });
  app.route("/", docsRoutes());
  app.route("/", changesPageRoutes());
  app.route("/", pageRoutes());
  app.route("/", consoleRoutes());
  app.route("/", widgetRoutes());
  app.get("/healthz", (c) => c.json({ ok: true }));

  app.notFound((c) =>
    c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404),
  );
  app.onError(toErrorResponse);
  return app;
}

export type App = ReturnType<typeof createApp>;
