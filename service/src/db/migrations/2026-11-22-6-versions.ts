import { type Kysely, sql } from "kysely";

// What became of each paragraph, and of each comment, when a new version of a draft is published.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("paragraph_changes")
    .addColumn("consultation_id", "uuid", (c) => c.notNull().references("consultations.id"))
    .addColumn("to_version", "integer", (c) => c.notNull())
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("old_key", "text")
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .check(sql`kind in ('unchanged','moved','edited','split','merged','removed','new')`),
    )
    .addColumn("new_keys", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("similarity", "real")
    .addPrimaryKeyConstraint("paragraph_changes_pk", ["consultation_id", "to_version", "ordinal"])
    .execute();

  await db.schema
    .createTable("annotation_carry")
    .addColumn("annotation_id", "uuid", (c) => c.notNull().references("annotations.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('intact','changed','orphaned')`),
    )
    .addColumn("paragraph_key", "text")
    .addColumn("old_text", "text")
    .addColumn("new_text", "text")
    .addPrimaryKeyConstraint("annotation_carry_pk", ["annotation_id", "version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("annotation_carry").ifExists().execute();
  await db.schema.dropTable("paragraph_changes").ifExists().execute();
}
