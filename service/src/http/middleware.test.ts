import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../app.ts";
import { freshDatabase } from "../test/backends.ts";

describe("JSON bodies", () => {
  afterEach(() => vi.restoreAllMocks());

  it("are parsed once per request, however many steps read them", async () => {
    const database = await freshDatabase("pglite");
    const app = createApp({
      db: database.db,
      now: () => new Date(),
      sessionDays: 30,
      publicUrl: "http://margin.test",
    });
    try {
      const body = JSON.stringify({
        email: "once@example.test",
        password: "a long enough password",
        displayName: "Once",
      });
      const parse = vi.spyOn(JSON, "parse");
      const res = await app.request("/v1/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(201);
      // The body checker, the input guard and the route's validator all read it.
      expect(parse.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
      parse.mockRestore();
      const again = await app.request("/v1/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "once@example.test", password: "x", displayName: "" }),
      });
      // Validation still sees the parsed body and refuses it.
      expect(again.status).toBe(400);
    } finally {
      await database.close();
    }
  });
});
