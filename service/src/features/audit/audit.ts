import type { Kysely } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";

/** Every official or moderating action leaves a line here, in the same transaction as the action. */
export async function audit(
  db: Kysely<Database>,
  entry: {
    actorId: string | null;
    action: string;
    entity: string;
    entityId: string;
    details?: Record<string, unknown>;
  },
) {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      details: jsonb(entry.details ?? {}),
    })
    .execute();
}
