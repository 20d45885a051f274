import { type ApiClient, type Carried, carriedInto } from "@margin/store";

/** A reader has a few consultations open, not dozens; each entry holds a paragraph's text per comment. */
const KEEP = 8;

export type RevisionNotes = (consultationId: string) => Promise<ReadonlyMap<string, Carried>>;

/**
 * What the current draft version of a consultation did to each comment. A
 * published version's notes never change, so a few are kept; which version is
 * current is asked each time, since an agency may publish one at any moment.
 * When the service cannot be reached the last version seen is used, and with
 * nothing kept the comments show without notes.
 */
export function createRevisionNotes(
  api: Pick<ApiClient, "getConsultation" | "versionChanges">,
): RevisionNotes {
  const kept = new Map<string, ReadonlyMap<string, Carried>>();
  const lastVersion = new Map<string, number>();

  return async (consultationId) => {
    const c = await api.getConsultation(consultationId);
    const version = c.ok ? c.value.currentVersion : (lastVersion.get(consultationId) ?? null);
    if (version === null || version < 2) return new Map();
    lastVersion.set(consultationId, version);
    const key = `${consultationId}@${version}`;
    const cached = kept.get(key);
    if (cached) return cached;
    const notes = await carriedInto(api, consultationId, version);
    // Empty may mean the call failed: only a real answer is kept, so it is asked again later.
    if (notes.size > 0) {
      kept.set(key, notes);
      const oldest = kept.keys().next().value;
      if (kept.size > KEEP && oldest !== undefined) kept.delete(oldest);
    }
    return notes;
  };
}
