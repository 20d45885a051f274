import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../db/connect.ts";
import { migrateToLatest } from "../db/migrate.ts";

export type Backend = "pglite" | "postgres";

/** Embedded PGlite always; a real PostgreSQL server too when DATABASE_URL is set (CI sets it). */
export const backends: Backend[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/**
 * A fresh, migrated database of the given kind. On a real server each call
 * gets a database of its own, dropped on close, so test files never meet.
 */
export async function freshDatabase(kind: Backend): Promise<DatabaseHandle & { url?: string }> {
  if (kind === "pglite") {
    const h = await openDatabase({ dataDir: "memory://" });
    await migrateToLatest(h.db);
    return h;
  }
  const server = process.env.DATABASE_URL as string;
  const name = `margin_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const h = await openDatabase({ url: url.toString(), poolSize: 5 });
  await migrateToLatest(h.db);
  return {
    ...h,
    url: url.toString(),
    close: async () => {
      await h.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
