import type { DraftVersion } from "@margin/model";
import { type Api, ApiError } from "./api.ts";

/** The current draft's paragraphs, or none when no draft was uploaded yet. */
export async function currentParagraphs(api: Api, id: string): Promise<DraftVersion | null> {
  try {
    return await api.currentVersion(id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** "§12 · 雇主延長勞工工作時間者…" — where a point sits, short enough for a list. */
export function paragraphLabel(
  version: DraftVersion | null,
  key: string | null,
  whole: string,
): string {
  if (key === null) return whole;
  const p = version?.paragraphs.find((x) => x.key === key);
  if (!p) return key;
  const text = p.text.length > 40 ? `${p.text.slice(0, 40)}…` : p.text;
  return `§${p.ordinal + 1} · ${text}`;
}

/** 0 for none, then 1–5 by share of the busiest paragraph. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(5, 1 + Math.floor((4 * count) / max));
}
