import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";
import { readDistFile, TYPES } from "./static-files.ts";

/** Where `pnpm --filter @margin/service build` puts the console (Vite, from service/console). */
export const CONSOLE_DIST = fileURLToPath(new URL("../../dist/console/", import.meta.url));

/**
 * The console runs only our own scripts and styles and talks only to this
 * origin; it cannot be framed. The token in sessionStorage is worth this.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function secure(headers: Headers) {
  headers.set("Content-Security-Policy", CONSOLE_CSP);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
}

/** Serves the built console at /console: its files, and index.html for every view's URL. */
export function consoleRoutes(dist = CONSOLE_DIST) {
  const app = new Hono<AppEnv>();

  const file = (path: string) => readDistFile(dist, path);

  const index = async () => {
    const body = await file("index.html");
    const headers = new Headers({ "Cache-Control": "no-cache" });
    secure(headers);
    if (!body) {
      headers.set("Content-Type", "text/plain; charset=utf-8");
      return new Response(
        "The console is not built yet: run `pnpm --filter @margin/service build` (npm start does).\n",
        { status: 503, headers },
      );
    }
    headers.set("Content-Type", TYPES[".html"] as string);
    return new Response(new Uint8Array(body), { status: 200, headers });
  };

  app.get("/console", () => index());
  app.get("/console/*", async (c) => {
    let rest: string;
    try {
      rest = decodeURIComponent(c.req.path.slice("/console/".length));
    } catch {
      return c.text("not found\n", 404);
    }
    const ext = extname(rest);
    // A view's URL (no extension) gets the app; a missing file is a plain 404.
    if (!ext) return index();
    const body = await file(rest);
    const headers = new Headers();
    secure(headers);
    if (!body || !TYPES[ext]) {
      headers.set("Content-Type", "text/plain; charset=utf-8");
      return new Response("not found\n", { status: 404, headers });
    }
    headers.set("Content-Type", TYPES[ext] as string);
    // Vite names built assets by their content hash, so they never change.
    headers.set(
      "Cache-Control",
      rest.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    );
    return new Response(new Uint8Array(body), { status: 200, headers });
  });

  return app;
}
