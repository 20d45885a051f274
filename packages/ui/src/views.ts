import type { Selector } from "@margin/model";
import {
  type AnnotationRow,
  type Carried,
  type ResponseRow,
  type SyncEngine,
  toView,
} from "@margin/store";

/**
 * What the comment UI shows, in the extension's page and in the widget's
 * sidebar alike: text only, never HTML, built from the store's rows.
 */

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string } };

export interface UserView {
  id: string;
  displayName: string;
  email: string;
}

export type SyncStateView = "pending" | "synced" | "conflict" | "rejected";

/** One comment as the UI shows it. */
export interface ItemView {
  id: string;
  parentId: string | null;
  source: string;
  selectors: Selector[];
  paragraphKey: string | null;
  motivation: "commenting" | "questioning" | "editing" | "replying";
  text: string;
  suggestion: string | null;
  stance: "support" | "oppose" | "neutral";
  status: "visible" | "withdrawn" | "hidden";
  author: string | null;
  mine: boolean;
  created: string | null;
  agree: number;
  myEndorsement: "agree" | "disagree" | null;
  syncState: SyncStateView;
  rejection: string | null;
  /** A change here that the service's copy contradicts: both versions are shown (S6). */
  conflict: {
    reason: string;
    theirs: { text: string; status: "visible" | "withdrawn" | "hidden" };
  } | null;
  pointId: string | null;
}

export interface ResponseView {
  id: string;
  annotationId: string | null;
  paragraphKey: string | null;
  pointId: string | null;
  text: string;
  disposition: string;
  official: string;
  publishedAt: string;
}

export interface SyncView {
  online: boolean;
  syncing: boolean;
  pending: number;
  lastError: string | null;
}

export function syncView(engine: SyncEngine): SyncView {
  const s = engine.status.value;
  return {
    online: s.online,
    syncing: s.syncing,
    pending: s.pending,
    lastError: s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : null,
  };
}

export function itemView(row: AnnotationRow, user: UserView | null): ItemView {
  const v = toView(row);
  return {
    id: v.id,
    parentId: v.parentId,
    source: v.source,
    selectors: v.target.selector as Selector[],
    paragraphKey: v.paragraphKey,
    motivation: v.motivation,
    text: v.status === "withdrawn" ? "" : v.text,
    suggestion: v.status === "withdrawn" ? null : v.suggestion,
    stance: v.stance,
    status: v.status,
    author: v.author?.displayName ?? user?.displayName ?? null,
    mine: v.author === null || (user !== null && v.author.id === user.id),
    created: v.created,
    agree: v.endorsements.agree,
    myEndorsement: v.myEndorsement,
    syncState: v.syncState,
    rejection: v.rejection ? v.rejection.message : null,
    conflict: v.conflict
      ? {
          reason: v.conflict.reason,
          theirs: { text: v.conflict.server.text, status: v.conflict.server.status },
        }
      : null,
    pointId: row.server?.pointId ?? null,
  };
}

export function responseView(r: ResponseRow): ResponseView {
  return {
    id: r.id,
    annotationId: r.annotationId ?? null,
    paragraphKey: r.paragraphKey ?? null,
    pointId: r.targetType === "cluster" ? r.targetId : null,
    text: r.text,
    disposition: r.disposition,
    official: r.official.displayName,
    publishedAt: r.publishedAt,
  };
}

/**
 * Replies grouped under their comments, built once per change of the list: asking the whole list
 * for each comment's replies took 1.2 s of a panel's render at 5,000 comments.
 */
export function repliesByParent(items: readonly ItemView[]): Map<string, ItemView[]> {
  const out = new Map<string, ItemView[]>();
  for (const i of items) {
    if (i.parentId === null) continue;
    const list = out.get(i.parentId);
    if (list) list.push(i);
    else out.set(i.parentId, [i]);
  }
  return out;
}

/** The official answers that concern one comment: to it, or to the point it was folded into. */
export function responsesFor(responses: ResponseView[], item: ItemView): ResponseView[] {
  return responses.filter(
    (r) => r.annotationId === item.id || (r.pointId !== null && r.pointId === item.pointId),
  );
}

/**
 * CommentItem's `revisedFrom`: the text a comment was about when the revised
 * draft reworded its paragraph, else undefined (no note).
 */
export function revisedFrom(carried: Carried | undefined): string | null | undefined {
  return carried?.status === "changed" ? carried.oldText : undefined;
}
