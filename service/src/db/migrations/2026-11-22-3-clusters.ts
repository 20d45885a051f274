import { type Kysely, sql } from "kysely";

// Aggregated points. Clustering is incremental: each new comment is compared
// with a bounded set of exemplars found through LSH band hashes, so nothing
// is recomputed from scratch. Officials' merges and splits are kept as
// overrides and applied over whatever the computation says.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("clusters")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("consultation_id", "uuid", (c) => c.notNull().references("consultations.id"))
    .addColumn("paragraph_key", "text")
    .addColumn("representative_id", "uuid", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("clusters_consultation")
    .on("clusters")
    .columns(["consultation_id", "paragraph_key"])
    .execute();

  await db.schema.alterTable("annotations").addColumn("computed_cluster_id", "uuid").execute();
  await db.schema.alterTable("annotations").addColumn("cluster_id", "uuid").execute();
  await db.schema
    .createIndex("annotations_cluster")
    .on("annotations")
    .columns(["consultation_id", "cluster_id"])
    .execute();

  await db.schema
    .createTable("cluster_exemplars")
    .addColumn("annotation_id", "uuid", (c) => c.primaryKey())
    .addColumn("consultation_id", "uuid", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("cluster_id", "uuid", (c) => c.notNull())
    .addColumn("text_key", "text", (c) => c.notNull())
    .addColumn("shingles", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addColumn("weight", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex("cluster_exemplars_key")
    .on("cluster_exemplars")
    .columns(["consultation_id", "scope", "text_key"])
    .execute();
  await db.schema
    .createIndex("cluster_exemplars_cluster")
    .on("cluster_exemplars")
    .column("cluster_id")
    .execute();

  await db.schema
    .createTable("cluster_bands")
    .addColumn("consultation_id", "uuid", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("band", "smallint", (c) => c.notNull())
    .addColumn("hash", "integer", (c) => c.notNull())
    .addColumn("exemplar_id", "uuid", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("cluster_bands_lookup")
    .on("cluster_bands")
    .columns(["consultation_id", "scope", "band", "hash"])
    .execute();

  await db.schema
    .createTable("cluster_overrides")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("consultation_id", "uuid", (c) => c.notNull().references("consultations.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('merge','split')`))
    .addColumn("from_cluster", "uuid")
    .addColumn("into_cluster", "uuid")
    .addColumn("member_id", "uuid")
    .addColumn("actor_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("cluster_overrides_consultation")
    .on("cluster_overrides")
    .columns(["consultation_id", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["cluster_overrides", "cluster_bands", "cluster_exemplars", "clusters"])
    await db.schema.dropTable(t).ifExists().execute();
  await db.schema.alterTable("annotations").dropColumn("cluster_id").execute();
  await db.schema.alterTable("annotations").dropColumn("computed_cluster_id").execute();
}
