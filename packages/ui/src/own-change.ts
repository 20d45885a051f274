import { type MarginStore, StoreError } from "@margin/store";
import type { Words } from "./i18n.ts";
import type { ItemView, Result } from "./views.ts";

/** A change a person makes to their own comment, in the widget's sidebar or the extension. */
export type OwnChange =
  | { type: "edit"; id: string; text: string }
  | { type: "withdraw"; id: string }
  | { type: "resolve"; id: string; keep: "mine" | "theirs" };

/**
 * Makes the change in the store (offline first; the caller syncs after). A refusal the person
 * can act on, such as "keep mine" over a moderator's hiding, comes back with its reason.
 */
export async function applyOwnChange(store: MarginStore, c: OwnChange): Promise<Result<null>> {
  try {
    if (c.type === "edit") await store.edit(c.id, { text: c.text });
    else if (c.type === "withdraw") await store.withdraw(c.id);
    else if (c.keep === "mine") await store.keepMine(c.id);
    else await store.takeTheirs(c.id);
  } catch (e) {
    if (e instanceof StoreError) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
  return { ok: true, value: null };
}

/** The service's side of a conflict, as words: its text, or what became of the comment. */
export function theirVersionText(
  t: Words,
  theirs: NonNullable<ItemView["conflict"]>["theirs"],
): string {
  if (theirs.status === "visible") return theirs.text;
  return theirs.status === "withdrawn" ? t.theirsWithdrawn : t.theirsHidden;
}
