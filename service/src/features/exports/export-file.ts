import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Consultation } from "@margin/model";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { ExportAnnotation } from "./export.repository.ts";
import { type ExportFormat, exportChunks } from "./export-formats.ts";
import { openExport } from "./export-source.ts";

async function* counted(
  pages: AsyncIterable<ExportAnnotation[]>,
  onPage: (rows: number) => void,
): AsyncGenerator<ExportAnnotation[]> {
  for await (const page of pages) {
    onPage(page.length);
    yield page;
  }
}

/**
 * Writes one consultation's export to a file, page by page (the same stream
 * the HTTP route serves), reporting how many comments are written so far.
 */
export async function writeExport(
  db: Kysely<Database>,
  consultation: Consultation,
  opts: {
    format: ExportFormat;
    path: string;
    publicUrl: string;
    progress?: (done: number, total: number) => void;
    pageSize?: number;
  },
) {
  const source = await openExport(db, consultation, opts.publicUrl, new Date(), opts.pageSize);
  const total = source.total - source.responses.length;
  let done = 0;
  source.pages = counted(source.pages, (rows) => {
    done += rows;
    opts.progress?.(done, total);
  });
  await pipeline(Readable.from(exportChunks(opts.format, source)), createWriteStream(opts.path));
  return { comments: done, responses: source.responses.length };
}
