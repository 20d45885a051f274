import type { Selector } from "@margin/model";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import { carryAnnotations } from "./carry.ts";
import { mapParagraphs } from "./paragraph-map.ts";

async function paragraphsOf(db: Kysely<Database>, consultationId: string, version: number) {
  return db
    .selectFrom("paragraphs")
    .select(["key", "text"])
    .where("consultation_id", "=", consultationId)
    .where("version", "=", version)
    .orderBy("ordinal")
    .execute();
}

/**
 * When version N is stored, records what became of each paragraph of N-1 and
 * carries every comment into N. Runs in the transaction that stores N, so a
 * version never exists without its mapping.
 */
export async function recordVersionChanges(
  tx: Kysely<Database>,
  consultationId: string,
  version: number,
) {
  if (version < 2) return;
  const [before, after] = await Promise.all([
    paragraphsOf(tx, consultationId, version - 1),
    paragraphsOf(tx, consultationId, version),
  ]);
  const map = mapParagraphs(before, after);
  const rows = [
    ...before.map((p) => {
      const f = map.old.get(p.key);
      const kind = f?.kind ?? "removed";
      const newKeys = !f || f.kind === "removed" ? [] : f.kind === "split" ? f.to : [f.to];
      return {
        old_key: p.key,
        kind,
        new_keys: newKeys,
        similarity: f?.kind === "edited" ? f.similarity : null,
      };
    }),
    ...map.added.map((k) => ({
      old_key: null,
      kind: "new" as const,
      new_keys: [k],
      similarity: null,
    })),
  ];
  for (let i = 0; i < rows.length; i += 1000) {
    await tx
      .insertInto("paragraph_changes")
      .values(
        rows.slice(i, i + 1000).map((r, j) => ({
          consultation_id: consultationId,
          to_version: version,
          ordinal: i + j,
          ...r,
        })),
      )
      .execute();
  }

  // Each comment moves on from where the previous version left it.
  const annotations = await sql<{
    id: string;
    paragraph_key: string | null;
    selectors: Selector[];
    carried_key: string | null;
    carried: boolean;
  }>`
    select a.id, a.paragraph_key, a.selectors, c.paragraph_key as carried_key, c.annotation_id is not null as carried
      from annotations a
      left join annotation_carry c on c.annotation_id = a.id and c.version = ${version - 1}
     where a.consultation_id = ${consultationId} and a.parent_id is null`.execute(tx);
  const carried = carryAnnotations(
    before,
    after,
    map,
    annotations.rows.map((a) => ({
      id: a.id,
      paragraphKey: a.carried ? a.carried_key : a.paragraph_key,
      quote: a.selectors.find((s) => s.type === "TextQuoteSelector")?.exact ?? null,
    })),
  );
  for (let i = 0; i < carried.length; i += 1000) {
    await tx
      .insertInto("annotation_carry")
      .values(
        carried.slice(i, i + 1000).map((c) => ({
          annotation_id: c.annotationId,
          version,
          status: c.status,
          paragraph_key: c.paragraphKey,
          old_text: c.oldText,
          new_text: c.newText,
        })),
      )
      .execute();
  }
}

export async function versionChanges(
  db: Kysely<Database>,
  consultationId: string,
  version: number,
) {
  const [changes, carry] = await Promise.all([
    db
      .selectFrom("paragraph_changes")
      .selectAll()
      .where("consultation_id", "=", consultationId)
      .where("to_version", "=", version)
      .orderBy("ordinal")
      .execute(),
    db
      .selectFrom("annotation_carry")
      .selectAll()
      .where("version", "=", version)
      .where("annotation_id", "in", (eb) =>
        eb.selectFrom("annotations").select("id").where("consultation_id", "=", consultationId),
      )
      .execute(),
  ]);
  return { changes, carry };
}
