import { type Kysely, sql } from "kysely";

// Official answers, their published history, and the job queue for notifications.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("responses")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("consultation_id", "uuid", (c) => c.notNull().references("consultations.id"))
    .addColumn("target_type", "text", (c) =>
      c.notNull().check(sql`target_type in ('cluster','paragraph','annotation')`),
    )
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("official_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("disposition", "text", (c) => c.notNull())
    .addColumn("cites_version", "integer")
    .addColumn("cites_paragraph", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','published')`))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("published_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("responses_target")
    .on("responses")
    .columns(["consultation_id", "target_type", "target_id"])
    .execute();

  await db.schema
    .createTable("response_revisions")
    .addColumn("response_id", "uuid", (c) =>
      c.notNull().references("responses.id").onDelete("cascade"),
    )
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("disposition", "text", (c) => c.notNull())
    .addColumn("official_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("response_revisions_pk", ["response_id", "revision"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("response_revisions").ifExists().execute();
  await db.schema.dropTable("responses").ifExists().execute();
}
