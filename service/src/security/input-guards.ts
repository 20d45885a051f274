import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/context.ts";
import { AppError } from "../http/errors.ts";

const NUL = "\u0000";

/** The path of the first string (or key) holding a NUL character, if any. */
function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (depth > 64) return null;
  if (typeof value === "string") return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulAt(v, `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes(NUL)) return path;
      const found = nulAt(v, `${path}.${k}`, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Input refused before any route sees it:
 * - U+0000 anywhere (body, query, path): PostgreSQL text cannot hold it, so
 *   left alone it fails deep in a query as a 500;
 * - a PATCH without a JSON object holding at least one field: the routes'
 *   validators read a missing body as `{}`, and "change nothing" is never
 *   what a client meant (it used to end in an empty UPDATE, a 500).
 */
export const guardInput: MiddlewareHandler<AppEnv> = async (c, next) => {
  const refuse = (path: string) => {
    throw new AppError("validation_failed", `${path}: must not contain NUL characters`, [
      { path, message: "must not contain NUL characters" },
    ]);
  };
  let decodedPath = c.req.path;
  try {
    decodedPath = decodeURIComponent(c.req.path);
  } catch {
    // Hono answers malformed escapes itself.
  }
  if (decodedPath.includes(NUL)) refuse("params");
  for (const [k, values] of Object.entries(c.req.queries())) {
    if (k.includes(NUL) || values.some((v) => v.includes(NUL))) refuse(`query.${k}`);
  }
  const isJson = /json/i.test(c.req.header("content-type") ?? "");
  let body: unknown;
  if (isJson && c.req.method !== "GET") {
    try {
      body = await c.req.json();
    } catch {
      return next(); // requireJsonBody has answered 400 already
    }
    const found = nulAt(body, "body");
    if (found) refuse(found);
  }
  if (c.req.method === "PATCH") {
    const fields =
      body && typeof body === "object" && !Array.isArray(body) ? Object.keys(body).length : 0;
    if (fields === 0)
      throw new AppError(
        "validation_failed",
        "body: send a JSON object with the fields to change",
        [{ path: "body", message: "send at least one field to change" }],
      );
  }
  return next();
};
