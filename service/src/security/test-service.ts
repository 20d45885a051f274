import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../app.ts";
import type { Limits } from "../features/rate-limits/limits.ts";
import { type Backend, freshDatabase } from "../test/backends.ts";
import type { TestService } from "../test/harness.ts";

/**
 * Like the harness's startTestService, but with the abuse limits the test
 * chooses, and the database's URL (on a real server) for fault injection.
 */
export async function startServiceWith(
  kind: Backend,
  limits: Partial<Limits> = {},
): Promise<TestService & { databaseUrl?: string | undefined }> {
  const database = await freshDatabase(kind);
  const clock = { now: new Date() };
  const app = createApp({
    db: database.db,
    now: () => clock.now,
    sessionDays: 30,
    publicUrl: "http://margin.test",
    limits,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db: database.db,
    databaseUrl: database.url,
    clock,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: BodyInit | undefined;
      if (typeof opts.body === "string") body = opts.body;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

/** Limits high enough that tests exercising something else never meet them. */
export const noLimits: Partial<Limits> = {
  writesPerAccount: 1_000_000,
  writesPerIp: 1_000_000,
  loginAttempts: 1_000_000,
};
