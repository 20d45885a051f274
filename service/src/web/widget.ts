import { extname } from "node:path";
import { IdSchema } from "@margin/model";
import { WIDGET_DIST } from "@margin/widget/dist-dir";
import { Hono } from "hono";
import { getConsultation } from "../features/consultations/consultations.repository.ts";
import type { AppEnv } from "../http/context.ts";
import { readDistFile, TYPES } from "./static-files.ts";

/**
 * The sites a consultation's sidebar may be framed by: the origins of its
 * registered URL patterns, and this service (its own public page). Nobody
 * else can put the reader's signed-in panel under their own page.
 */
export function frameAncestors(urlPatterns: readonly string[]): string[] {
  const origins = new Set<string>();
  for (const p of urlPatterns) {
    try {
      origins.add(new URL(p.replaceAll("*", "x")).origin);
    } catch {
      // a pattern that is no URL frames nothing
    }
  }
  return [...origins];
}

function sidebarCsp(ancestors: string[]) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors 'self' ${ancestors.join(" ")}`.trim(),
  ].join("; ");
}

/** Serves the embeddable widget at /widget/: the loader, the in-page part and the sidebar frame. */
export function widgetRoutes(dist = WIDGET_DIST) {
  const app = new Hono<AppEnv>();

  app.get("/widget/sidebar.html", async (c) => {
    const { db, now } = c.get("deps");
    const id = c.req.query("consultation") ?? "";
    const consultation = IdSchema.safeParse(id).success
      ? await getConsultation(db, id, now())
      : null;
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    if (!consultation || consultation.status === "draft")
      return c.text(
        "No published consultation has this id: check the data-consultation attribute of the Margin script tag.\n",
        404,
      );
    const body = await readDistFile(dist, "sidebar.html");
    if (!body)
      return c.text(
        "The widget is not built yet: run `pnpm --filter @margin/widget build`.\n",
        503,
      );
    c.header("Content-Security-Policy", sidebarCsp(frameAncestors(consultation.urlPatterns)));
    c.header("Cache-Control", "no-cache");
    c.header("Content-Type", TYPES[".html"] as string);
    // Each language has its own sidebar script (widget/build.ts); the frame reads ?lang= alike.
    const html = body.toString("utf8");
    return c.body(
      c.req.query("lang") === "zh-Hant"
        ? html.replace("sidebar.en.js", "sidebar.zh-Hant.js")
        : html,
    );
  });

  app.get("/widget/:file", async (c) => {
    const name = c.req.param("file");
    const ext = extname(name);
    const body = /^[\w.-]+$/.test(name) && ext !== ".html" ? await readDistFile(dist, name) : null;
    c.header("X-Content-Type-Options", "nosniff");
    if (!body || !TYPES[ext]) return c.text("not found\n", 404);
    c.header("Content-Type", TYPES[ext] as string);
    // Agencies' pages load these from their own origin: no credentials ride along, anyone may.
    c.header("Access-Control-Allow-Origin", "*");
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    // The in-page part is named by its content hash; the loader names the current one.
    c.header(
      "Cache-Control",
      /^page\.[0-9a-f]+\.js$/.test(name)
        ? "public, max-age=31536000, immutable"
        : "public, max-age=300",
    );
    return c.body(new Uint8Array(body));
  });

  return app;
}
