import type { ImportRefusal, ImportReport } from "@margin/model";
import type { Kysely } from "kysely";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";
import { recordChanges, scopeOf } from "../sync/change-log.ts";
import { anchorOnDraft } from "./import-anchor.ts";
import { importAuthors } from "./import-authors.ts";
import { unpackImportFile } from "./import-file.ts";
import { readHypothesisItem } from "./import-hypothesis.ts";
import { type ImportItem, importedId } from "./import-item.ts";
import { readW3cItem } from "./import-w3c.ts";

export interface ImportTarget {
  consultationId: string;
  agencyId: string;
  currentVersion: number | null;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;
const MAX_SOURCE = 2048;

/**
 * Imports a file of W3C or Hypothesis annotations into a consultation and
 * reports what happened to each. Every item is read and checked first; the
 * ones refused are reported and never touch the database; the rest are
 * anchored on the current draft version and stored in one transaction, so an
 * import is stored whole or not at all. Orphans are stored too (with their
 * original selectors and no paragraph): nothing a person said is dropped.
 * Imports are not gated on the consultation being open: they bring in what
 * was said elsewhere, often after the fact.
 */
export async function importAnnotations(
  db: Kysely<Database>,
  target: ImportTarget,
  body: unknown,
  now: Date,
): Promise<ImportReport> {
  const { format, items } = unpackImportFile(body);
  const read = format === "hypothesis" ? readHypothesisItem : readW3cItem;
  const refused: ImportRefusal[] = [];
  const accepted: { id: string; item: ImportItem }[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  items.forEach((raw, index) => {
    const reading = read(raw);
    if (!reading.ok) {
      const rawId = (raw as { id?: unknown } | null)?.id;
      refused.push({
        index,
        ...(typeof rawId === "string" ? { id: rawId } : {}),
        reason: reading.reason,
      });
      return;
    }
    const id = importedId(target.consultationId, reading.item.sourceId);
    if (seen.has(id)) duplicates++;
    else {
      seen.add(id);
      accepted.push({ id, item: reading.item });
    }
  });

  const html = target.currentVersion
    ? ((
        await db
          .selectFrom("draft_versions")
          .select("html")
          .where("consultation_id", "=", target.consultationId)
          .where("version", "=", target.currentVersion)
          .executeTakeFirst()
      )?.html ?? null)
    : null;
  const landings = anchorOnDraft(
    html,
    accepted.map((a) => a.item.selectors),
  );

  const scope = scopeOf(target.consultationId, "");
  const inserted = await db.transaction().execute(async (tx) => {
    const authors = await importAuthors(
      tx,
      target.agencyId,
      accepted.map((a) => a.item.creatorName),
    );
    const created = new Set<string>();
    for (let i = 0; i < accepted.length; i += CHUNK) {
      const rows = accepted.slice(i, i + CHUNK).map(({ id, item }, k) => {
        const landing = landings[i + k];
        const author = authors.get(item.creatorName);
        if (!author) throw new Error("import author missing inside its own transaction");
        // The original time is kept when it is believable; the change log orders sync, not this.
        const createdAt = item.created && item.created <= now ? item.created : now;
        return {
          id,
          scope,
          consultation_id: target.consultationId,
          source: item.source.slice(0, MAX_SOURCE),
          selectors: jsonb(landing ? landing.selectors : item.selectors),
          paragraph_key: landing ? landing.paragraphKey : null,
          parent_id: null,
          motivation: item.motivation,
          text: item.text.trim(),
          suggestion: item.suggestion?.trim() || null,
          stance: item.stance,
          author_id: author.id,
          created_at: createdAt,
          modified_at: now,
          revision: 1,
          status: "visible" as const,
        };
      });
      // The client-made-id path: an id already stored (an earlier import) is left as it is.
      const written = await tx
        .insertInto("annotations")
        .values(rows)
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .execute();
      for (const w of written) created.add(w.id);
    }
    await recordChanges(tx, scope, "annotation", [...created]);
    return created;
  });

  let anchored = 0;
  accepted.forEach((a, i) => {
    if (!inserted.has(a.id)) duplicates++;
    else if (landings[i]) anchored++;
  });
  return {
    format,
    imported: inserted.size,
    anchored,
    orphaned: inserted.size - anchored,
    duplicates,
    refused,
  };
}
