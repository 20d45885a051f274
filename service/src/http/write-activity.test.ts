import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { freshDatabase } from "../test/backends.ts";
import { writeActivity } from "./write-activity.ts";

describe("write activity", () => {
  it("is told of writes under /v1, not of reads", async () => {
    const database = await freshDatabase("pglite");
    let clock = 10;
    const writes = writeActivity(() => clock);
    const app = createApp({
      db: database.db,
      now: () => new Date(),
      sessionDays: 30,
      publicUrl: "http://margin.test",
      writes,
    });
    try {
      await app.request("/v1/consultations");
      expect(writes.lastAt()).toBe(Number.NEGATIVE_INFINITY);
      clock = 20;
      const refused = await app.request("/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      });
      expect(refused.status).toBe(400);
      expect(writes.lastAt()).toBe(20);
    } finally {
      await database.close();
    }
  });
});
