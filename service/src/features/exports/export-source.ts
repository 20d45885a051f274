import type { Consultation } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { answersIndex } from "./answers-index.ts";
import { countExportable, exportableAnnotations, publishedResponses } from "./export.repository.ts";
import type { ExportSource } from "./export-formats.ts";
import { consultationIris } from "./iris.ts";

/** Gathers what an export of one consultation is made of; the comments themselves are read as it streams. */
export async function openExport(
  db: Kysely<Database>,
  consultation: Consultation,
  publicUrl: string,
  exportedAt: Date,
  pageSize?: number,
): Promise<ExportSource> {
  const responses = await publishedResponses(db, consultation.id);
  const comments = await countExportable(db, consultation.id);
  return {
    consultation,
    exportedAt,
    iris: consultationIris(publicUrl, consultation.id),
    total: comments + responses.length,
    responses,
    answerFor: answersIndex(responses),
    pages: exportableAnnotations(db, consultation.id, pageSize),
  };
}

/** Chunks as a byte stream that is pulled, so a slow reader slows the database reads down. */
export function byteStream(chunks: AsyncIterator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return?.(undefined);
    },
  });
}
