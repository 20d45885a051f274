import { byId } from "@margin/store";
import type { ItemView, PageState } from "./messages.ts";

/**
 * What the background sends a page: the whole state when the person or the page's scope
 * changes; the comments that changed (and the ids of those gone) after a write; the answers
 * or the sync state alone when only they change. With 5,000 comments the whole state is
 * megabytes to copy from the worker to the page, and a +1 changes one comment.
 */
export type PageUpdate =
  | PageState
  | { changed: ItemView[]; removed: string[] }
  | Pick<PageState, "responses">
  | Pick<PageState, "sync">
  | Pick<PageState, "carried">;

/** The rows in `after` that are not the very objects of `before` (by id), and the ids gone. */
export function rowsChanged<T extends { id: string }>(
  before: ReadonlyMap<string, T>,
  after: readonly T[],
): { changed: T[]; removed: string[]; now: Map<string, T> } {
  const now = new Map(after.map((r) => [r.id, r]));
  const changed = after.filter((r) => before.get(r.id) !== r);
  const removed = [...before.keys()].filter((id) => !now.has(id));
  return { changed, removed, now };
}

/** A page's comments after an update: changed ones replaced or added (in id order), gone ones dropped. */
export function withChanges(
  items: readonly ItemView[],
  changed: readonly ItemView[],
  removed: readonly string[],
): ItemView[] {
  const ids = new Map(items.map((i) => [i.id, i]));
  let added = false;
  for (const id of removed) ids.delete(id);
  for (const item of changed) {
    added ||= !ids.has(item.id);
    ids.set(item.id, item);
  }
  const out = [...ids.values()];
  if (added) out.sort(byId);
  return out;
}

/** The page's state after an update from the background. */
export function applyUpdate(state: PageState, update: PageUpdate): PageState {
  if ("changed" in update)
    return { ...state, items: withChanges(state.items, update.changed, update.removed) };
  return { ...state, ...update };
}
