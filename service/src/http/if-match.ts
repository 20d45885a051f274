import type { Ctx } from "./context.ts";
import { AppError } from "./errors.ts";

/** `If-Match: "3"` (or W/"3", or 3) → 3. Required: a change must say which revision it was based on. */
export function revisionFrom(c: Ctx): number {
  const raw = c.req.header("if-match");
  if (!raw)
    throw new AppError(
      "precondition_required",
      'send If-Match: "<revision>" with the revision you are changing',
    );
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m)
    throw new AppError("validation_failed", 'If-Match must be a revision number like "3"', [
      { path: "headers.if-match", message: "not a revision" },
    ]);
  return Number(m[1]);
}
