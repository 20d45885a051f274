import type { VersionChanges } from "@margin/model";
import type { ApiClient } from "./api-client.ts";

/** What a revision of the draft did to one comment's paragraph, and the text the comment was about. */
export interface Carried {
  status: "intact" | "changed" | "orphaned";
  oldText: string | null;
}

/** The service's "what changed" of a version, reduced to each comment's fate (by annotation id). */
export function carriedFrom(changes: Pick<VersionChanges, "annotations">): Map<string, Carried> {
  return new Map(
    changes.annotations.map((a) => [a.annotationId, { status: a.status, oldText: a.oldText }]),
  );
}

/**
 * The fate of each comment carried into `version` of a consultation's draft.
 * A first version changed nothing; a failed call gives an empty map too, so
 * offline the comments show without their revision notes rather than an error.
 */
export async function carriedInto(
  api: Pick<ApiClient, "versionChanges">,
  consultationId: string,
  version: number,
): Promise<Map<string, Carried>> {
  if (version < 2) return new Map();
  const res = await api.versionChanges(consultationId, version);
  return res.ok ? carriedFrom(res.value) : new Map();
}
