import { type ErrorCode, type ErrorIssue, errorCodes } from "@margin/model";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/** An expected failure: becomes `{error:{code,message,details}}` with the code's status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorIssue[],
    readonly headers?: Record<string, string>,
    /** The stored copy, on a conflict over an annotation, so the person sees both versions. */
    readonly current?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} was not found`);
export const forbidden = (why: string) => new AppError("forbidden", why);

export function issuesToDetails(where: string, issues: readonly z.core.$ZodIssue[]): ErrorIssue[] {
  return issues.map((i) => {
    let message = i.message;
    if (i.code === "unrecognized_keys") message = `unknown field(s): ${i.keys.join(", ")}`;
    return { path: [where, ...i.path.map(String)].join("."), message };
  });
}

export function validationError(where: string, error: z.ZodError): AppError {
  const details = issuesToDetails(where, error.issues);
  const first = details[0];
  return new AppError(
    "validation_failed",
    first ? `${first.path}: ${first.message}` : `the ${where} is not valid`,
    details,
  );
}

export function errorBody(
  code: ErrorCode,
  message: string,
  details?: ErrorIssue[],
  current?: unknown,
) {
  return {
    error: {
      code,
      message,
      ...(details?.length ? { details } : {}),
      ...(current === undefined ? {} : { current }),
    },
  };
}

/** postgres.js connection failures and PostgreSQL's "try again later" SQLSTATEs. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "08000", // connection_exception
  "08001", // sqlclient_unable_to_establish_sqlconnection
  "08003", // connection_does_not_exist
  "08004", // sqlserver_rejected_establishment_of_sqlconnection
  "08006", // connection_failure
  "57P01", // admin_shutdown (pg_terminate_backend, a restart)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "53300", // too_many_connections
]);

/** Whether a thrown value means the database could not be reached (as opposed to a bug). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code;
  const message = typeof e?.message === "string" ? e.message : "";
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // ALTER DATABASE … ALLOW_CONNECTIONS false (maintenance), only with this message.
  if (code === "55000" && /not currently accepting connections/.test(message)) return true;
  // PGlite, once closed or crashed, throws plain errors.
  return /^PGlite is closed|^PGlite (?:has )?(?:crashed|failed)/i.test(message);
}

export function toErrorResponse(err: unknown, c: Context): Response {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(
      errorBody(err.code, err.message, err.details, err.current),
      errorCodes[err.code] as ContentfulStatusCode,
    );
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413)
      return c.json(errorBody("payload_too_large", "the request body is too large"), 413);
    if (status === 400 && /json/i.test(err.message))
      return c.json(errorBody("invalid_json", "the request body is not valid JSON"), 400);
    if (status < 500)
      return c.json(
        errorBody("bad_request", err.message || "bad request"),
        status as ContentfulStatusCode,
      );
  }
  if (isDatabaseUnavailable(err)) {
    c.header("Retry-After", "5");
    return c.json(errorBody("unavailable", "the database is unavailable; try again shortly"), 503);
  }
  console.error("unhandled error", err);
  return c.json(errorBody("internal", "something went wrong on our side; it has been logged"), 500);
}
