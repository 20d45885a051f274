import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../http/errors.ts";

// Not tested here: killing the service's connections (pg_terminate_backend) hangs
// the service; see docs/architecture.md, known gaps.

/** What the drivers really throw when the database is gone, classified as 503 (not 500). */
describe("isDatabaseUnavailable", () => {
  const caught = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (err) {
      return err;
    }
    throw new Error("expected a failure");
  };

  it("covers a closed PGlite", async () => {
    const pg = await PGlite.create("memory://");
    await pg.close();
    const err = await caught(() => pg.query("select 1"));
    expect(isDatabaseUnavailable(err), String(err)).toBe(true);
  });

  it("covers postgres.js refused connections", async () => {
    const sql = postgres("postgres://postgres@127.0.0.1:1/none", {
      max: 1,
      connect_timeout: 2,
      onnotice: () => {},
    });
    const err = await caught(() => sql`select 1`);
    await sql.end({ timeout: 0 });
    expect(isDatabaseUnavailable(err), String(err)).toBe(true);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "covers a terminated backend and a database refusing connections (postgres)",
    async () => {
      const server = process.env.DATABASE_URL as string;
      const admin = postgres(server, { max: 1, onnotice: () => {} });
      const name = `margin_f_${Date.now().toString(36)}`;
      await admin.unsafe(`create database ${name}`);
      const url = new URL(server);
      url.pathname = `/${name}`;
      const victim = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const [row] = await victim`select pg_backend_pid() as pid`;
        const pid = (row as { pid: number }).pid;
        const pending = caught(() => victim`select pg_sleep(5)`);
        await new Promise((r) => setTimeout(r, 100));
        await admin`select pg_terminate_backend(${pid})`;
        const killed = await pending;
        expect(isDatabaseUnavailable(killed), String(killed)).toBe(true);

        await admin.unsafe(`alter database ${name} allow_connections false`);
        const fresh = postgres(url.toString(), { max: 1, onnotice: () => {} });
        const refused = await caught(() => fresh`select 1`);
        await fresh.end({ timeout: 0 });
        expect(isDatabaseUnavailable(refused), String(refused)).toBe(true);
        // A bug is still a bug: syntax errors are not outages.
        const bug = await caught(() => admin`selec 1`);
        expect(isDatabaseUnavailable(bug)).toBe(false);
      } finally {
        await victim.end({ timeout: 0 });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  );
});
