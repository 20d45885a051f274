import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

// Located, not loaded: the package's main module evaluates the 1.4 MB browser bundle (about a
// second of CPU at every start) for nothing, as the service only serves its files.
const assetDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Margin API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><main id="api"><noscript>The API description is at <a href="/openapi.json">/openapi.json</a>.</noscript></main>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

/** /docs: Swagger UI over /openapi.json, served from our own origin (no CDN). */
export function docsRoutes() {
  const app = new Hono();
  app.get("/docs", (c) => c.html(page));
  app.get("/docs/init.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body('SwaggerUIBundle({ url: "/openapi.json", dom_id: "#api" });');
  });
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = assets[file];
    if (!type) return c.notFound();
    c.header("Content-Type", type);
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(await readFile(join(assetDir, file)));
  });
  return app;
}
