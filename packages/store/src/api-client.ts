import {
  type Annotation,
  type AnnotationInput,
  type AnnotationPatch,
  type Consultation,
  type EndorsementKind,
  type ErrorCode,
  type ErrorIssue,
  expandPushAnswer,
  type MutationInput,
  type PullResponse,
  type PushResponse,
  type Session,
  type UrlPatternList,
  type User,
  type VersionChanges,
} from "@margin/model";
import { parseRetryAfter } from "./backoff.ts";
import type { Check, Shape, Shapes } from "./checks.ts";
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
  /** How inputs and answers are checked: zodChecks or serviceChecks (checks.ts). */
  check: Check;
  now?: () => number;
}

export type ListAnnotationsQuery = Scope & { paragraph?: string; limit?: number; after?: string };

/** A pull page as the store keeps it: official answers flattened for caching. */
export type PullPage = Omit<PullResponse, "responses"> & { responses?: ResponseRow[] };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function invalidResponse(status: number, message: string): { ok: false; error: ApiFailure } {
  return {
    ok: false,
    error: {
      kind: "invalid_response",
      status,
      code: "invalid_response",
      message,
      retryable: false,
      retryAfterMs: null,
    },
  };
}

function invalidRequest(message: string, issues: ErrorIssue[]): { ok: false; error: ApiFailure } {
  return {
    ok: false,
    error: {
      kind: "invalid_request",
      status: 0,
      code: "invalid_request",
      message,
      details: issues,
      retryable: false,
      retryAfterMs: null,
    },
  };
}

/**
 * A typed client for the service's /v1 API. Inputs and answers are checked
 * the way `opts.check` says; every failure comes back as an ApiFailure, never thrown.
 */
export function createApiClient(opts: ApiClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const now = opts.now ?? Date.now;

  const check = opts.check;

  async function call<K extends Shape>(
    method: string,
    path: string,
    shape: K,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResult<Shapes[K]>>;
  async function call(
    method: string,
    path: string,
    shape: null,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResult<void>>;
  async function call(
    method: string,
    path: string,
    shape: Shape | null,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResult<unknown>> {
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
      const parsed = check("apiError", json);
      const retryAfterMs =
        res.status === 429 || res.status === 503
          ? parseRetryAfter(res.headers.get("retry-after"), now())
          : null;
      const error: ApiFailure = parsed.ok
        ? {
            kind: "http",
            status: res.status,
            code: parsed.value.error.code,
            message: parsed.value.error.message,
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
      if (parsed.ok && parsed.value.error.details) error.details = parsed.value.error.details;
      if (parsed.ok && parsed.value.error.current !== undefined)
        error.current = parsed.value.error.current;
      return { ok: false, error };
    }
    if (shape === null) return { ok: true, value: undefined, status: res.status };
    const parsed = check(shape, json);
    if (!parsed.ok)
      return invalidResponse(
        res.status,
        `unexpected answer from ${method} ${path}: ${parsed.issues[0]?.message ?? "not JSON"}`,
      );
    return { ok: true, value: parsed.value, status: res.status };
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
      const p = check("register", input);
      if (!p.ok) return Promise.resolve(invalidRequest("check the sign-up form", p.issues));
      return call("POST", "/v1/auth/register", "session", { body: p.value });
    },
    login(input: { email: string; password: string }): Promise<ApiResult<Session>> {
      const p = check("login", input);
      if (!p.ok) return Promise.resolve(invalidRequest("check the sign-in form", p.issues));
      return call("POST", "/v1/auth/login", "session", { body: p.value });
    },
    logout(): Promise<ApiResult<void>> {
      return call("POST", "/v1/auth/logout", null);
    },
    me(): Promise<ApiResult<User>> {
      return call("GET", "/v1/auth/me", "user");
    },
    getConsultation(id: string): Promise<ApiResult<Consultation>> {
      return call("GET", `/v1/consultations/${enc(id)}`, "consultation");
    },
    versionChanges(id: string, version: number): Promise<ApiResult<VersionChanges>> {
      return call(
        "GET",
        `/v1/consultations/${enc(id)}/versions/${version}/changes`,
        "versionChanges",
      );
    },
    urlPatterns(): Promise<ApiResult<UrlPatternList>> {
      return call("GET", "/v1/url-patterns", "urlPatterns");
    },
    listAnnotations(q: ListAnnotationsQuery) {
      let qs = scopeQuery(q);
      if (q.paragraph !== undefined) qs += `&paragraph=${enc(q.paragraph)}`;
      if (q.limit !== undefined) qs += `&limit=${q.limit}`;
      if (q.after !== undefined) qs += `&after=${enc(q.after)}`;
      return call("GET", `/v1/annotations?${qs}`, "annotationPage");
    },
    createAnnotation(input: AnnotationInput): Promise<ApiResult<Annotation>> {
      const p = check("annotationInput", input);
      if (!p.ok) return Promise.resolve(invalidRequest("check the comment", p.issues));
      return call("POST", "/v1/annotations", "annotation", { body: p.value });
    },
    editAnnotation(
      id: string,
      revision: number,
      patch: AnnotationPatch,
    ): Promise<ApiResult<Annotation>> {
      const p = check("annotationPatch", patch);
      if (!p.ok) return Promise.resolve(invalidRequest("check the change", p.issues));
      return call("PATCH", `/v1/annotations/${enc(id)}`, "annotation", {
        body: p.value,
        headers: ifMatch(revision),
      });
    },
    withdrawAnnotation(id: string, revision: number): Promise<ApiResult<Annotation>> {
      return call("DELETE", `/v1/annotations/${enc(id)}`, "annotation", {
        headers: ifMatch(revision),
      });
    },
    setEndorsement(id: string, kind: EndorsementKind | null): Promise<ApiResult<Annotation>> {
      return call("PUT", `/v1/annotations/${enc(id)}/endorsement`, "annotation", {
        body: { kind },
      });
    },
    /** Asks for the minimal answer (push-answer.ts in @margin/model) and gives every result whole. */
    async push(mutations: MutationInput[]): Promise<ApiResult<PushResponse>> {
      const p = check("push", { mutations });
      if (!p.ok) return invalidRequest("bad push batch", p.issues);
      const r = await call("POST", "/v1/sync/push", "pushAnswer", {
        body: { mutations },
        headers: { prefer: "return=minimal" },
      });
      if (!r.ok) return r;
      const results = expandPushAnswer(mutations, r.value);
      if (results) return { ok: true, value: { results }, status: r.status };
      return invalidResponse(
        r.status,
        "the push answer left out an annotation that was not sent as a new comment",
      );
    },
    async pull(scope: Scope, since: number, limit?: number): Promise<ApiResult<PullPage>> {
      let qs = `${scopeQuery(scope)}&since=${since}`;
      if (limit !== undefined) qs += `&limit=${limit}`;
      const r = await call("GET", `/v1/sync/pull?${qs}`, "pull");
      if (!r.ok) return r;
      return {
        ...r,
        value: { ...r.value, responses: (r.value.responses ?? []).map(toResponseRow) },
      };
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
