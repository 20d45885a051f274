import { type Kysely, sql } from "kysely";

// Abuse: rate-limit windows shared by every instance, people's flags on
// comments, and moderators' decisions (kept beside the audit log so an
// annotation's moderation history is one indexed read).
export async function up(db: Kysely<any>): Promise<void> {
  // One row per limited key (e.g. `w:u:<user>`, `w:ip:<addr>`, `login:<email>|<addr>`):
  // the current fixed window and its count, bumped by a single upsert.
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("rate_limits_expiry")
    .on("rate_limits")
    .column("expires_at")
    .execute();

  await db.schema
    .createTable("annotation_flags")
    .addColumn("annotation_id", "uuid", (c) => c.notNull().references("annotations.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("reason", "text", (c) =>
      c.notNull().check(sql`reason in ('spam','abuse','off_topic','personal_data','other')`),
    )
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("resolved_at", "timestamptz")
    .addPrimaryKeyConstraint("annotation_flags_pk", ["annotation_id", "user_id"])
    .execute();
  await sql`create index annotation_flags_open on annotation_flags (annotation_id) where resolved_at is null`.execute(
    db,
  );

  await db.schema
    .createTable("moderation_actions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("annotation_id", "uuid", (c) => c.notNull().references("annotations.id"))
    .addColumn("consultation_id", "uuid")
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("action", "text", (c) =>
      c.notNull().check(sql`action in ('hide','restore','auto_hide')`),
    )
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("moderation_actions_annotation")
    .on("moderation_actions")
    .columns(["annotation_id", "id"])
    .execute();
  await db.schema
    .createIndex("moderation_actions_consultation")
    .on("moderation_actions")
    .column("consultation_id")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("moderation_actions").ifExists().execute();
  await db.schema.dropTable("annotation_flags").ifExists().execute();
  await db.schema.dropTable("rate_limits").ifExists().execute();
}
