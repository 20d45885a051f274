import "fake-indexeddb/auto";
import {
  createApiClient,
  createMarginStore,
  createSyncEngine,
  openMarginDb,
  zodChecks,
} from "@margin/store";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { freshServerDatabase } from "../support/postgres.ts";
import { type ServiceProcess, startService } from "../support/service-process.ts";

const server = process.env.DATABASE_URL;
if (!server)
  console.warn("sync-kill: set DATABASE_URL to a PostgreSQL server to run this (CI does)");

/**
 * The service is killed (SIGKILL) in the middle of a large push and started
 * again: every mutation it acknowledged is stored, every other one is retried
 * and stored, and nothing is stored twice.
 */
describe.skipIf(!server)("a push cut off by SIGKILL", () => {
  let service: ServiceProcess | undefined;
  let database: Awaited<ReturnType<typeof freshServerDatabase>> | undefined;
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it("loses nothing and doubles nothing", async () => {
    const N = 2000;
    database = await freshServerDatabase(server as string);
    const port = String(await freePort());
    const env = { DATABASE_URL: database.url, PORT: port };
    service = await startService(env);
    const base = service.url;
    const reg = await fetch(`${base}/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: "train@example.test",
        password: "offline on a train",
        displayName: "Commuter",
      }),
    }).then((r) => r.json());
    const consultationId = (await fetch(`${base}/v1/consultations`).then((r) => r.json())).items[0]
      .id;

    const db = openMarginDb(`kill-${Date.now()}`);
    const store = createMarginStore({ db, check: zodChecks });
    for (let i = 0; i < N; i++) {
      await store.create({
        consultationId,
        target: {
          source: `${base}/c/${consultationId}`,
          selector: [{ type: "TextQuoteSelector", exact: "工資" }],
        },
        text: `offline comment ${i}`,
      });
    }
    const api = createApiClient({
      baseUrl: base,
      fetch,
      getToken: () => reg.token,
      check: zodChecks,
    });
    const engine = createSyncEngine({
      db,
      api,
      intervalMs: 200,
      backoff: { baseMs: 100, maxMs: 1000 },
    });
    const stop = engine.start();

    // Kill the service as soon as part of the outbox has been acknowledged.
    for (;;) {
      const left = await db.table("outbox").count();
      if (left < N - 200) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await service.stop("SIGKILL");
    const acknowledged = (await db.table("annotations").toArray())
      .filter((a: { syncState: string }) => a.syncState === "synced")
      .map((a: { id: string }) => a.id);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeLessThan(N);

    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    const storedAtKill = (await sql`select id from annotations`).map((r) => r.id as string);
    for (const id of acknowledged) expect(storedAtKill).toContain(id);

    service = await startService(env);
    const t0 = Date.now();
    while ((await db.table("outbox").count()) > 0) {
      if (Date.now() - t0 > 60_000) throw new Error("the outbox did not drain after the restart");
      await new Promise((r) => setTimeout(r, 50));
    }
    stop();
    const rows =
      await sql`select count(*)::int as n, count(distinct text)::int as texts from annotations where author_id = ${reg.user.id}`;
    await sql.end();
    expect(rows[0]).toEqual({ n: N, texts: N });
    const local = await db.table("annotations").toArray();
    expect(local.every((a: { syncState: string }) => a.syncState === "synced")).toBe(true);
  });
});
