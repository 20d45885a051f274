import { describe, expect, it } from "vitest";
import { createApiClient } from "./api-client.ts";
import { AUTHOR, jsonResponse } from "./testing.ts";
import { zodChecks } from "./zod-checks.ts";

function client(
  respond: (url: string, init: RequestInit) => Response | Promise<Response>,
  token: string | null = "tok",
) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const api = createApiClient({
    baseUrl: "http://svc.test/",
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return respond(url, init);
    }) as unknown as typeof fetch,
    getToken: () => token,
    check: zodChecks,
    now: () => Date.parse("2025-01-01T00:00:00Z"),
  });
  return { api, calls };
}

const annotation = {
  id: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70",
  consultationId: null,
  target: { source: "https://x.test/a", selector: [{ type: "ParagraphSelector", key: "p1" }] },
  paragraphKey: "p1",
  parentId: null,
  motivation: "commenting",
  text: "hi",
  suggestion: null,
  stance: "neutral",
  author: AUTHOR,
  created: "2025-01-01T00:00:00.000Z",
  modified: "2025-01-01T00:00:00.000Z",
  revision: 3,
  status: "visible",
  hiddenReason: null,
  endorsements: { agree: 0, disagree: 0 },
  pointId: null,
};

describe("api client", () => {
  it("sends the bearer token and If-Match, and validates the answer", async () => {
    const { api, calls } = client(() => jsonResponse(200, annotation, { etag: '"3"' }));
    const res = await api.editAnnotation(annotation.id, 2, { text: "hi" });
    expect(res.ok && res.value.revision).toBe(3);
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.url).toBe(`http://svc.test/v1/annotations/${annotation.id}`);
    expect(calls[0]?.init.method).toBe("PATCH");
    expect(headers.authorization).toBe("Bearer tok");
    expect(headers["if-match"]).toBe('"2"');
  });

  it("maps an error body into a typed failure with its status", async () => {
    const { api } = client(() =>
      jsonResponse(412, {
        error: { code: "revision_mismatch", message: "stale", current: annotation },
      }),
    );
    const res = await api.withdrawAnnotation(annotation.id, 1);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toMatchObject({
      kind: "http",
      status: 412,
      code: "revision_mismatch",
      retryable: false,
    });
    expect(res.error.current).toEqual(annotation);
  });

  it("treats network errors and 5xx as retryable", async () => {
    const down = client(() => {
      throw new TypeError("fetch failed");
    });
    const r1 = await down.api.me();
    expect(!r1.ok && r1.error).toMatchObject({ kind: "network", status: 0, retryable: true });
    const broken = client(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const r2 = await broken.api.me();
    expect(!r2.ok && r2.error).toMatchObject({ status: 502, code: "internal", retryable: true });
  });

  it("reads Retry-After as seconds or as a date on 429 and 503", async () => {
    const a = client(() =>
      jsonResponse(
        429,
        { error: { code: "rate_limited", message: "slow" } },
        { "retry-after": "7" },
      ),
    );
    const r1 = await a.api.urlPatterns();
    expect(!r1.ok && r1.error.retryAfterMs).toBe(7000);
    const b = client(() =>
      jsonResponse(
        503,
        { error: { code: "unavailable", message: "later" } },
        {
          "retry-after": "Wed, 01 Jan 2025 00:01:00 GMT",
        },
      ),
    );
    const r2 = await b.api.urlPatterns();
    expect(!r2.ok && r2.error).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
  });

  it.each([
    ["does not match the schema", { results: "nope" }],
    [
      "leaves out an annotation that was not sent",
      {
        results: [{ key: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f71", status: "applied" }],
        author: AUTHOR,
        at: "2025-01-01T00:00:00.000Z",
      },
    ],
  ])("reports a push answer that %s", async (_, answer) => {
    const { api } = client(() => jsonResponse(200, answer));
    const res = await api.push([
      {
        type: "endorsement.set",
        key: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f71",
        annotationId: annotation.id,
        kind: "agree",
      },
    ]);
    expect(!res.ok && res.error).toMatchObject({ kind: "invalid_response", retryable: false });
  });

  it("asks for the minimal push answer and gives every result whole", async () => {
    const sent = {
      type: "annotation.create" as const,
      key: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f72",
      annotation: {
        id: annotation.id,
        consultationId: null,
        target: {
          source: "https://X.test/a#intro",
          selector: [{ type: "ParagraphSelector" as const, key: "p1" }],
        },
        parentId: null,
        motivation: "commenting" as const,
        text: "hi",
        suggestion: null,
        stance: "neutral" as const,
      },
    };
    const at = "2025-01-01T00:00:00.000Z";
    const { api, calls } = client(() =>
      jsonResponse(200, { results: [{ key: sent.key, status: "applied" }], author: AUTHOR, at }),
    );
    const res = await api.push([sent]);
    const headers = calls[0]?.init.headers as Record<string, string> | undefined;
    expect(headers?.prefer).toBe("return=minimal");
    expect(res.ok && res.value.results).toEqual([
      { key: sent.key, status: "applied", annotation: { ...annotation, revision: 1 } },
    ]);
  });

  it("refuses an invalid request without calling the service", async () => {
    const { api, calls } = client(() => jsonResponse(200, {}));
    const res = await api.register({ email: "not-an-email", password: "short", displayName: "" });
    expect(!res.ok && res.error.kind).toBe("invalid_request");
    expect(calls).toHaveLength(0);
  });

  it("logout sends no token when signed out and accepts 204", async () => {
    const { api, calls } = client(() => new Response(null, { status: 204 }), null);
    const res = await api.logout();
    expect(res.ok).toBe(true);
    expect(calls[0]?.init.headers).not.toHaveProperty("authorization");
  });

  it("builds pull and list queries and keeps official responses when the service sends them", async () => {
    const response = {
      id: "00000000-0000-4000-8000-0000000000r1".replace("r1", "01"),
      consultationId: "00000000-0000-4000-8000-0000000000c1".replace("c1", "0c"),
      target: { type: "annotation" as const, id: annotation.id },
      text: "Adopted",
      disposition: "adopted" as const,
      citesChange: null,
      status: "published" as const,
      revision: 1,
      official: {
        id: "00000000-0000-4000-8000-0000000000a1".replace("a1", "0a"),
        displayName: "Officer Chen",
        role: "official" as const,
      },
      createdAt: "2025-01-02T00:00:00.000Z",
      publishedAt: "2025-01-02T00:00:00.000Z",
      updatedAt: "2025-01-02T00:00:00.000Z",
      history: [],
    };
    const { api, calls } = client((url) =>
      url.includes("/sync/pull")
        ? jsonResponse(200, {
            annotations: [annotation],
            cursor: 9,
            hasMore: false,
            responses: [response],
          })
        : jsonResponse(200, { items: [annotation], next: null }),
    );
    const pulled = await api.pull({ source: "https://x.test/a?b=1" }, 4, 50);
    expect(calls[0]?.url).toBe(
      "http://svc.test/v1/sync/pull?source=https%3A%2F%2Fx.test%2Fa%3Fb%3D1&since=4&limit=50",
    );
    expect(pulled.ok && pulled.value.responses).toEqual([
      {
        id: response.id,
        consultationId: response.consultationId,
        targetType: "annotation",
        targetId: annotation.id,
        annotationId: annotation.id,
        paragraphKey: null,
        text: "Adopted",
        disposition: "adopted",
        official: { id: response.official.id, displayName: "Officer Chen" },
        publishedAt: "2025-01-02T00:00:00.000Z",
        revision: 1,
      },
    ]);
    const list = await api.listAnnotations({ consultation: "c1", paragraph: "art 3" });
    expect(calls[1]?.url).toBe("http://svc.test/v1/annotations?consultation=c1&paragraph=art%203");
    expect(list.ok && list.value.items).toHaveLength(1);
  });
});
