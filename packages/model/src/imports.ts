import * as z from "zod";

/** One item of an import file that was not stored, and why. */
export const ImportRefusalSchema = z.object({
  /** Its place in the file (0-based), after collections and wrappers are unpacked. */
  index: z.number().int().min(0),
  id: z.string().optional(),
  reason: z.string(),
});

/** What `POST /v1/consultations/{id}/import` did with a file of W3C or Hypothesis annotations. */
export const ImportReportSchema = z.object({
  format: z.enum(["w3c", "hypothesis"]),
  /** Newly stored: `anchored + orphaned`. */
  imported: z.number().int().min(0),
  anchored: z.number().int().min(0),
  orphaned: z.number().int().min(0),
  /** Already stored by an earlier import of the same annotations (or twice in this file). */
  duplicates: z.number().int().min(0),
  refused: z.array(ImportRefusalSchema),
});

export type ImportRefusal = z.infer<typeof ImportRefusalSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
