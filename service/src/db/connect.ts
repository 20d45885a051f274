import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

const INT8 = 20;

/**
 * One code path, two back ends: a real PostgreSQL server when a URL is given,
 * else PostgreSQL compiled to WebAssembly (PGlite) keeping its files in
 * `dataDir` (or in memory for `memory://`). Both parse bigint as a JS number:
 * counters and sequences here stay far below 2^53.
 */
export async function openDatabase(opts: {
  url?: string | undefined;
  dataDir?: string;
  poolSize?: number;
}): Promise<DatabaseHandle> {
  if (opts.url) {
    const sql = postgres(opts.url, {
      max: opts.poolSize ?? 10,
      onnotice: () => {},
      types: {
        bigint: {
          to: INT8,
          from: [INT8],
          serialize: (v: number) => String(v),
          parse: (v: string) => Number(v),
        },
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
    return { db, kind: "postgres", close: () => db.destroy() };
  }
  const pg = await PGlite.create(opts.dataDir ?? "memory://", {
    parsers: { [INT8]: (v: string) => Number(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
  return { db, kind: "pglite", close: () => db.destroy() };
}
