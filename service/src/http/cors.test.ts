import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../test/backends.ts";
import { startTestService, type TestService } from "../test/harness.ts";

const origin = { origin: "https://agency.example.gov" };

describe.each(backends)("cross-origin calls on %s", (backend) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(backend);
  });
  afterAll(() => s.close());

  const allowed = (headers: Headers) => {
    expect(headers.get("access-control-allow-origin")).toBe("*");
    const exposed = (headers.get("access-control-expose-headers") ?? "").split(",");
    for (const h of ["ETag", "Location", "Retry-After", "Link"]) expect(exposed).toContain(h);
  };

  it("lets any page read an answer, with the headers clients need", async () => {
    const r = await s.call("GET", "/v1/consultations", { headers: origin });
    expect(r.status).toBe(200);
    allowed(r.headers);
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("lets any page read a refusal, so a widget can tell the person why", async () => {
    const unauthenticated = await s.call("POST", "/v1/annotations", {
      headers: { ...origin, authorization: "Bearer not-a-session" },
      body: { text: "hello" },
    });
    expect(unauthenticated.status).toBe(401);
    allowed(unauthenticated.headers);
    const notJson = await s.call("POST", "/v1/auth/login", {
      headers: { ...origin, "content-type": "application/json" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    allowed(notJson.headers);
    const missing = await s.call("GET", "/v1/no-such-thing", { headers: origin });
    expect(missing.status).toBe(404);
    allowed(missing.headers);
  });

  it("answers a preflight with the methods and headers the API takes", async () => {
    const r = await s.call("OPTIONS", "/v1/annotations", {
      headers: {
        ...origin,
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization, if-match, content-type",
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-allow-methods")).toContain("PATCH");
    const allowHeaders = r.headers.get("access-control-allow-headers") ?? "";
    for (const h of ["Authorization", "If-Match", "Content-Type"])
      expect(allowHeaders).toContain(h);
    expect(r.headers.get("access-control-max-age")).toBe("600");
  });
});
