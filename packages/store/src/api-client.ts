import {
  type Annotation,
  type AnnotationInput,
  AnnotationInputSchema,
  AnnotationPageSchema,
  type AnnotationPatch,
  AnnotationPatchSchema,
  AnnotationSchema,
  ApiErrorSchema,
  type Consultation,
  ConsultationSchema,
  type EndorsementKind,
  type ErrorCode,
  type ErrorIssue,
  LoginInputSchema,
  type MutationInput,
  PullResponseSchema,
  PushRequestSchema,
  type PushResponse,
  PushResponseSchema,
  RegisterInputSchema,
  type Session,
  SessionSchema,
  type UrlPatternList,
  UrlPatternListSchema,
  type User,
  UserSchema,
  type VersionChanges,
  VersionChangesSchema,
} from "@margin/model";
import type { z } from "zod";
import { parseRetryAfter } from "./backoff.ts";
import type { ResponseRow, Scope } from "./db.ts";
import { toResponseRow } from "./responses.ts";

/** Why a call failed. `network`: no answer; `http`: an answer with an error status; the rest are ours. */
export interface ApiFailure {
  kind: "network" | "http" | "invalid_response" | "invalid_request";
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  code: ErrorCode | "network_error" | "invalid_response" | "invalid_request";
  message: string;
  details?: ErrorIssue[];
  /** On 409/412 for an annotation: the stored copy. */
  current?: unknown;
  /** Worth trying again later: network errors, 5xx, 408, 429. */
  retryable: boolean;
  /** From Retry-After on 429/503, in ms. */
  retryAfterMs: number | null;
}

export type ApiResult<T> =
  | { ok: true; value: T; status: number }
  | { ok: false; error: ApiFailure };

export interface ApiClientOptions {
  /** The service origin, e.g. https://margin.example.gov.tw */
  baseUrl: string;
  fetch: typeof fetch;
  /** The bearer token, or null when signed out. */
  getToken: () => string | null | Promise<string | null>;
  now?: () => number;
}

export type ListAnnotationsQuery = Scope & { paragraph?: string; limit?: number; after?: string };

/** A pull page as the store keeps it: official answers flattened for caching. */
export const PullPageSchema = PullResponseSchema.transform((page) => ({
  ...page,
  responses: page.responses.map(toResponseRow),
}));
export type PullPage = Omit<z.output<typeof PullResponseSchema>, "responses"> & {
  responses?: ResponseRow[];
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function invalidRequest(
  message: string,
  issues: z.core.$ZodIssue[],
): { ok: false; error: ApiFailure } {
  return {
    ok: false,
    error: {
      kind: "invalid_request",
      status: 0,
      code: "invalid_request",
      message,
      details: issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      retryable: false,
      retryAfterMs: null,
    },
  };
}

/**
 * A typed client for the service's /v1 API. Every answer is checked with the
 * shared zod schemas; every failure comes back as an ApiFailure, never thrown.
 */
export function createApiClient(opts: ApiClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const now = opts.now ?? Date.now;

  async function call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | null,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...init.headers };
    const token = await opts.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] = "application/json";
    }
    let res: Response;
    try {
      res = await opts.fetch(`${base}${path}`, { method, headers, body });
    } catch (e) {
      return {
        ok: false,
        error: {
          kind: "network",
          status: 0,
          code: "network_error",
          message: e instanceof Error ? e.message : String(e),
          retryable: true,
          retryAfterMs: null,
        },
      };
    }
    const text = await res.text().catch(() => "");
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const parsed = ApiErrorSchema.safeParse(json);
      const retryAfterMs =
        res.status === 429 || res.status === 503
          ? parseRetryAfter(res.headers.get("retry-after"), now())
          : null;
      const error: ApiFailure = parsed.success
        ? {
            kind: "http",
            status: res.status,
            code: parsed.data.error.code,
            message: parsed.data.error.message,
            retryable: RETRYABLE_STATUS.has(res.status),
            retryAfterMs,
          }
        : {
            kind: "http",
            status: res.status,
            code:
              res.status >= 500 ? (res.status === 503 ? "unavailable" : "internal") : "bad_request",
            message: `HTTP ${res.status}`,
            retryable: RETRYABLE_STATUS.has(res.status),
            retryAfterMs,
          };
      if (parsed.success && parsed.data.error.details) error.details = parsed.data.error.details;
      if (parsed.success && parsed.data.error.current !== undefined)
        error.current = parsed.data.error.current;
      return { ok: false, error };
    }
    if (schema === null) return { ok: true, value: undefined as T, status: res.status };
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          kind: "invalid_response",
          status: res.status,
          code: "invalid_response",
          message: `unexpected answer from ${method} ${path}: ${parsed.error.issues[0]?.message ?? "not JSON"}`,
          retryable: false,
          retryAfterMs: null,
        },
      };
    }
    return { ok: true, value: parsed.data, status: res.status };
  }

  const ifMatch = (revision: number) => ({ "if-match": `"${revision}"` });
  const enc = encodeURIComponent;

  function scopeQuery(scope: Scope): string {
    return "consultation" in scope
      ? `consultation=${enc(scope.consultation)}`
      : `source=${enc(scope.source)}`;
  }

  return {
    register(input: {
      email: string;
      password: string;
      displayName: string;
    }): Promise<ApiResult<Session>> {
      const p = RegisterInputSchema.safeParse(input);
      if (!p.success)
        return Promise.resolve(invalidRequest("check the sign-up form", p.error.issues));
      return call("POST", "/v1/auth/register", SessionSchema, { body: p.data });
    },
    login(input: { email: string; password: string }): Promise<ApiResult<Session>> {
      const p = LoginInputSchema.safeParse(input);
      if (!p.success)
        return Promise.resolve(invalidRequest("check the sign-in form", p.error.issues));
      return call("POST", "/v1/auth/login", SessionSchema, { body: p.data });
    },
    logout(): Promise<ApiResult<void>> {
      return call<void>("POST", "/v1/auth/logout", null);
    },
    me(): Promise<ApiResult<User>> {
      return call("GET", "/v1/auth/me", UserSchema);
    },
    getConsultation(id: string): Promise<ApiResult<Consultation>> {
      return call("GET", `/v1/consultations/${enc(id)}`, ConsultationSchema);
    },
    versionChanges(id: string, version: number): Promise<ApiResult<VersionChanges>> {
      return call(
        "GET",
        `/v1/consultations/${enc(id)}/versions/${version}/changes`,
        VersionChangesSchema,
      );
    },
    urlPatterns(): Promise<ApiResult<UrlPatternList>> {
      return call("GET", "/v1/url-patterns", UrlPatternListSchema);
    },
    listAnnotations(q: ListAnnotationsQuery) {
      let qs = scopeQuery(q);
      if (q.paragraph !== undefined) qs += `&paragraph=${enc(q.paragraph)}`;
      if (q.limit !== undefined) qs += `&limit=${q.limit}`;
      if (q.after !== undefined) qs += `&after=${enc(q.after)}`;
      return call("GET", `/v1/annotations?${qs}`, AnnotationPageSchema);
    },
    createAnnotation(input: AnnotationInput): Promise<ApiResult<Annotation>> {
      const p = AnnotationInputSchema.safeParse(input);
      if (!p.success) return Promise.resolve(invalidRequest("check the comment", p.error.issues));
      return call("POST", "/v1/annotations", AnnotationSchema, { body: p.data });
    },
    editAnnotation(
      id: string,
      revision: number,
      patch: AnnotationPatch,
    ): Promise<ApiResult<Annotation>> {
      const p = AnnotationPatchSchema.safeParse(patch);
      if (!p.success) return Promise.resolve(invalidRequest("check the change", p.error.issues));
      return call("PATCH", `/v1/annotations/${enc(id)}`, AnnotationSchema, {
        body: p.data,
        headers: ifMatch(revision),
      });
    },
    withdrawAnnotation(id: string, revision: number): Promise<ApiResult<Annotation>> {
      return call("DELETE", `/v1/annotations/${enc(id)}`, AnnotationSchema, {
        headers: ifMatch(revision),
      });
    },
    setEndorsement(id: string, kind: EndorsementKind | null): Promise<ApiResult<Annotation>> {
      return call("PUT", `/v1/annotations/${enc(id)}/endorsement`, AnnotationSchema, {
        body: { kind },
      });
    },
    push(mutations: MutationInput[]): Promise<ApiResult<PushResponse>> {
      const p = PushRequestSchema.safeParse({ mutations });
      if (!p.success) return Promise.resolve(invalidRequest("bad push batch", p.error.issues));
      return call("POST", "/v1/sync/push", PushResponseSchema, { body: { mutations } });
    },
    pull(scope: Scope, since: number, limit?: number): Promise<ApiResult<PullPage>> {
      let qs = `${scopeQuery(scope)}&since=${since}`;
      if (limit !== undefined) qs += `&limit=${limit}`;
      return call("GET", `/v1/sync/pull?${qs}`, PullPageSchema as unknown as z.ZodType<PullPage>);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
