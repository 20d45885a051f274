import type { Stance } from "@margin/model";
import type { DraftRow, MarginDb, Scope } from "./db.ts";
import { scopeKey } from "./db.ts";
import { realScheduler, type Scheduler } from "./scheduler.ts";

/** What is being typed, kept so a closed laptop or a crashed tab loses nothing (S13). */
export type DraftContent = Pick<DraftRow, "text"> & { suggestion?: string | null; stance?: Stance };

/** Key for a new comment on a paragraph, or for an edit of an existing annotation. */
export function draftKey(
  target: { scope: Scope; paragraphKey: string } | { annotationId: string },
): string {
  return "annotationId" in target
    ? `edit:${target.annotationId}`
    : `new:${scopeKey(target.scope)}#${target.paragraphKey}`;
}

export async function saveDraft(
  db: MarginDb,
  key: string,
  content: DraftContent,
  now: number,
): Promise<void> {
  await db.drafts.put({ key, ...content, updatedAt: now });
}

export function loadDraft(db: MarginDb, key: string): Promise<DraftRow | undefined> {
  return db.drafts.get(key);
}

export async function clearDraft(db: MarginDb, key: string): Promise<void> {
  await db.drafts.delete(key);
}

export interface DebouncedDrafts {
  /** Call on every keystroke; written after `delayMs` without another call for that key. */
  save(key: string, content: DraftContent): void;
  /** Writes whatever is waiting now (e.g. on blur or pagehide). */
  flush(): Promise<void>;
  /** Writes what is waiting and stops. */
  dispose(): Promise<void>;
}

/** Saves drafts when the person pauses typing (~400 ms). */
export function saveDraftDebounced(
  db: MarginDb,
  opts: {
    delayMs?: number;
    now?: () => number;
    scheduler?: Scheduler;
    onError?: (e: unknown) => void;
  } = {},
): DebouncedDrafts {
  const delay = opts.delayMs ?? 400;
  const now = opts.now ?? Date.now;
  const scheduler: Scheduler = opts.scheduler ?? realScheduler;
  const waiting = new Map<string, { content: DraftContent; timer: unknown }>();
  const writes = new Set<Promise<void>>();

  function write(key: string): Promise<void> {
    const w = waiting.get(key);
    if (!w) return Promise.resolve();
    waiting.delete(key);
    scheduler.clearTimeout(w.timer);
    const p = saveDraft(db, key, w.content, now())
      .catch((e) => opts.onError?.(e))
      .finally(() => writes.delete(p));
    writes.add(p);
    return p;
  }

  async function flush() {
    await Promise.all([...waiting.keys()].map(write));
    await Promise.all([...writes]);
  }

  return {
    save(key, content) {
      const prev = waiting.get(key);
      if (prev) scheduler.clearTimeout(prev.timer);
      const timer = scheduler.setTimeout(() => void write(key), delay);
      waiting.set(key, { content, timer });
    },
    flush,
    dispose: flush,
  };
}
