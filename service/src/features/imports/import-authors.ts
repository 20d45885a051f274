import { createHash } from "node:crypto";
import type { Tx } from "../sync/change-log.ts";

/**
 * Imported comments were not written through a Margin account, so each
 * original creator becomes an import author of the importing agency: a row in
 * `users` that cannot sign in (no password hash matches, and its address is
 * under the reserved `.invalid` domain, so no reset mail can reach it), named
 * "<original name> (imported)" so every page and export says where the words
 * came from. One per (agency, name): the same person keeps one pseudonym.
 */
const NO_PASSWORD = "!imported";

export const importAuthorName = (creator: string | null) =>
  creator ? `${creator} (imported)` : "Imported comment";

function importAuthorEmail(agencyId: string, creator: string | null): string {
  const h = createHash("sha256")
    .update(`${agencyId}\n${creator ?? ""}`)
    .digest("hex")
    .slice(0, 32);
  return `imported-${h}@import.invalid`;
}

/** The import author of each creator name (null: unnamed), made when first needed. */
export async function importAuthors(
  tx: Tx,
  agencyId: string,
  creators: (string | null)[],
): Promise<Map<string | null, { id: string; display_name: string }>> {
  const unique = [...new Set(creators)];
  const out = new Map<string | null, { id: string; display_name: string }>();
  if (unique.length === 0) return out;
  const byEmail = new Map(unique.map((c) => [importAuthorEmail(agencyId, c), c]));
  await tx
    .insertInto("users")
    .values(
      unique.map((c) => ({
        email: importAuthorEmail(agencyId, c),
        password_hash: NO_PASSWORD,
        display_name: importAuthorName(c),
        role: "citizen" as const,
        agency_id: null,
      })),
    )
    .onConflict((oc) => oc.column("email").doNothing())
    .execute();
  const rows = await tx
    .selectFrom("users")
    .select(["id", "email", "display_name"])
    .where("email", "in", [...byEmail.keys()])
    .execute();
  for (const r of rows) out.set(byEmail.get(r.email) ?? null, r);
  return out;
}
