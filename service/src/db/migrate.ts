import type { Kysely } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";
import * as initial from "./migrations/2026-11-22-1-initial.ts";
import * as responses from "./migrations/2026-11-22-2-responses.ts";
import * as clusters from "./migrations/2026-11-22-3-clusters.ts";
import * as abuse from "./migrations/2026-11-22-4-abuse.ts";
import * as jobs from "./migrations/2026-11-22-5-jobs.ts";
import * as versions from "./migrations/2026-11-22-6-versions.ts";
import * as paragraphStats from "./migrations/2026-11-22-7-paragraph-stats.ts";
import * as changeHorizon from "./migrations/2026-11-30-8-change-horizon.ts";
import * as rememberedResults from "./migrations/2026-12-01-9-remembered-results.ts";

// Listed explicitly (not read from a folder) so bundling keeps every one.
// Kysely runs them in name order, hence the sequence number after the date.
const migrations: Record<string, Migration> = {
  "2026-11-22-1-initial": initial,
  "2026-11-22-2-responses": responses,
  "2026-11-22-3-clusters": clusters,
  "2026-11-22-4-abuse": abuse,
  "2026-11-22-5-jobs": jobs,
  "2026-11-22-6-versions": versions,
  "2026-11-22-7-paragraph-stats": paragraphStats,
  "2026-11-30-8-change-horizon": changeHorizon,
  "2026-12-01-9-remembered-results": rememberedResults,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Unordered: a number reserved earlier (4) may land after later ones ran on an existing database.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
