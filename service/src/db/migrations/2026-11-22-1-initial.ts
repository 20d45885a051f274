import { type Kysely, sql } from "kysely";

// Frozen in time: later changes get a migration of their own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agencies")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "jsonb", (c) => c.notNull())
    .addColumn("domains", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("webhook_url", "text")
    .addColumn("webhook_secret", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('citizen','official','admin')`),
    )
    .addColumn("agency_id", "uuid", (c) => c.references("agencies.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("official_has_agency", sql`(role = 'official') = (agency_id is not null)`)
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("consultations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("url_patterns", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("opens_at", "timestamptz", (c) => c.notNull())
    .addColumn("closes_at", "timestamptz", (c) => c.notNull())
    .addColumn("respond_by", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('draft','published','concluded')`),
    )
    .addColumn("current_version", "integer")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("dates_in_order", sql`opens_at < closes_at and closes_at <= respond_by`)
    .execute();
  await db.schema
    .createIndex("consultations_agency")
    .on("consultations")
    .column("agency_id")
    .execute();

  await db.schema
    .createTable("consultation_officials")
    .addColumn("consultation_id", "uuid", (c) =>
      c.notNull().references("consultations.id").onDelete("cascade"),
    )
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addPrimaryKeyConstraint("consultation_officials_pk", ["consultation_id", "user_id"])
    .execute();

  await db.schema
    .createTable("draft_versions")
    .addColumn("consultation_id", "uuid", (c) =>
      c.notNull().references("consultations.id").onDelete("cascade"),
    )
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("html", "text")
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("draft_versions_pk", ["consultation_id", "version"])
    .execute();

  await db.schema
    .createTable("paragraphs")
    .addColumn("consultation_id", "uuid", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("text_hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("paragraphs_pk", ["consultation_id", "version", "key"])
    .addForeignKeyConstraint(
      "paragraphs_version_fk",
      ["consultation_id", "version"],
      "draft_versions",
      ["consultation_id", "version"],
      (f) => f.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("annotations")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("consultation_id", "uuid", (c) => c.references("consultations.id"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("selectors", "jsonb", (c) => c.notNull())
    .addColumn("paragraph_key", "text")
    .addColumn("parent_id", "uuid", (c) => c.references("annotations.id"))
    .addColumn("motivation", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("suggestion", "text")
    .addColumn("stance", "text", (c) => c.notNull())
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("modified_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("visible"))
    .addColumn("hidden_reason", "text")
    .addColumn("agree_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("disagree_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("annotations_consultation_paragraph")
    .on("annotations")
    .columns(["consultation_id", "paragraph_key"])
    .execute();
  await db.schema
    .createIndex("annotations_scope")
    .on("annotations")
    .columns(["scope", "id"])
    .execute();
  await db.schema.createIndex("annotations_parent").on("annotations").column("parent_id").execute();
  await db.schema.createIndex("annotations_author").on("annotations").column("author_id").execute();

  await db.schema
    .createTable("endorsements")
    .addColumn("annotation_id", "uuid", (c) =>
      c.notNull().references("annotations.id").onDelete("cascade"),
    )
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("endorsements_pk", ["annotation_id", "user_id"])
    .execute();

  // One counter row per scope, bumped inside each writing transaction: its row
  // lock makes writers of one scope commit in sequence order, so a reader at
  // cursor N can never later see a change numbered below N appear.
  await db.schema
    .createTable("sync_scopes")
    .addColumn("scope", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("changes")
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "uuid", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("changes_pk", ["scope", "seq"])
    .execute();

  await db.schema
    .createTable("applied_mutations")
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("key", "uuid", (c) => c.notNull())
    .addColumn("result", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("applied_mutations_pk", ["user_id", "key"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_id", "uuid")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex("audit_log_entity")
    .on("audit_log")
    .columns(["entity", "entity_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "audit_log",
    "applied_mutations",
    "changes",
    "sync_scopes",
    "endorsements",
    "annotations",
    "paragraphs",
    "draft_versions",
    "consultation_officials",
    "consultations",
    "sessions",
    "users",
    "agencies",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
