import { randomBytes } from "node:crypto";
import type { Agency, AgencyInput } from "@margin/model";
import type { Kysely } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";

type Row = { id: string; slug: string; name: Agency["name"]; domains: string[] };

export const toAgency = (r: Row): Agency => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  domains: r.domains,
});

/** Null when the slug is taken. Each agency gets its own secret to sign webhooks with. */
export async function createAgency(
  db: Kysely<Database>,
  input: AgencyInput,
): Promise<Agency | null> {
  const row = await db
    .insertInto("agencies")
    .values({
      slug: input.slug,
      name: jsonb(input.name),
      domains: input.domains,
      webhook_url: input.webhookUrl,
      webhook_secret: randomBytes(32).toString("base64url"),
    })
    .onConflict((oc) => oc.column("slug").doNothing())
    .returning(["id", "slug", "name", "domains"])
    .executeTakeFirst();
  return row ? toAgency(row) : null;
}

export async function listAgencies(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("agencies")
    .select(["id", "slug", "name", "domains"])
    .orderBy("slug")
    .execute();
  return rows.map(toAgency);
}

export function findAgencyBySlug(db: Kysely<Database>, slug: string) {
  return db
    .selectFrom("agencies")
    .select(["id", "slug", "name", "domains"])
    .where("slug", "=", slug)
    .executeTakeFirst();
}
