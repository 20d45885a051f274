/**
 * Maps the paragraphs of one version of a draft onto the next: which stayed,
 * which were reworded, moved, split, merged, removed, and which are new.
 * Pure; works on text only, so it runs the same on any draft of any language.
 */

export interface Para {
  key: string;
  text: string;
}

export type OldFate =
  | { kind: "unchanged"; to: string }
  | { kind: "moved"; to: string }
  | { kind: "edited"; to: string; similarity: number }
  | { kind: "split"; to: string[] }
  | { kind: "merged"; to: string }
  | { kind: "removed" };

export interface ParagraphMap {
  old: Map<string, OldFate>;
  /** Keys of new paragraphs that come from no old one. */
  added: string[];
}

/** Whitespace, width and dash differences are not changes a reader would call edits. */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** Character trigrams: meaningful for Chinese and for English alike, no word splitting needed. */
function grams(text: string): Set<string> {
  const t = normalize(text);
  const out = new Set<string>();
  if (t.length < 3) {
    if (t) out.add(t);
    return out;
  }
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const g of small) if (big.has(g)) n++;
  return n;
}

/** Longest increasing subsequence of positions: the matched pairs that kept their order. */
function inOrder(positions: number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(positions.length).fill(-1);
  const tailIdx: number[] = [];
  positions.forEach((p, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] as number) < p) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = p;
    tailIdx[lo] = i;
    prev[i] = lo > 0 ? (tailIdx[lo - 1] as number) : -1;
  });
  const keep = new Set<number>();
  let k = tailIdx[tails.length - 1] ?? -1;
  while (k >= 0) {
    keep.add(k);
    k = prev[k] as number;
  }
  return keep;
}

export const EDIT_THRESHOLD = 0.5;
const PART_THRESHOLD = 0.8;

export function mapParagraphs(oldParas: Para[], newParas: Para[]): ParagraphMap {
  const result = new Map<string, OldFate>();
  const usedNew = new Set<string>();
  const oldGrams = new Map(oldParas.map((p) => [p.key, grams(p.text)]));
  const newGrams = new Map(newParas.map((p) => [p.key, grams(p.text)]));
  const newIndex = new Map(newParas.map((p, i) => [p.key, i]));

  // 1. Identical text (after normalising), preferring the same key, then the nearest position.
  const byText = new Map<string, Para[]>();
  for (const p of newParas) {
    const t = normalize(p.text);
    byText.set(t, [...(byText.get(t) ?? []), p]);
  }
  const pairs: { old: string; to: string; similarity: number }[] = [];
  for (const p of oldParas) {
    const same = (byText.get(normalize(p.text)) ?? []).filter((q) => !usedNew.has(q.key));
    const pick = same.find((q) => q.key === p.key) ?? same[0];
    if (pick) {
      usedNew.add(pick.key);
      pairs.push({ old: p.key, to: pick.key, similarity: 1 });
    }
  }

  // 2. Candidates for the rest: new paragraphs sharing trigrams with each old one.
  const pairedOld = new Set(pairs.map((x) => x.old));
  const restOld = oldParas.filter((p) => !pairedOld.has(p.key));
  const restNew = newParas.filter((p) => !usedNew.has(p.key));
  const postings = new Map<string, string[]>();
  for (const q of restNew)
    for (const g of newGrams.get(q.key) as Set<string>)
      postings.set(g, [...(postings.get(g) ?? []), q.key]);
  const candidates: {
    old: string;
    to: string;
    similarity: number;
    containOld: number;
    containNew: number;
  }[] = [];
  for (const p of restOld) {
    const og = oldGrams.get(p.key) as Set<string>;
    const shared = new Map<string, number>();
    for (const g of og)
      for (const k of postings.get(g) ?? []) shared.set(k, (shared.get(k) ?? 0) + 1);
    for (const [k, n] of shared) {
      const ng = newGrams.get(k) as Set<string>;
      candidates.push({
        old: p.key,
        to: k,
        similarity: n / (og.size + ng.size - n),
        containOld: n / og.size,
        containNew: n / ng.size,
      });
    }
  }
  // 2a. Split: an old paragraph whose text now lives in several new ones, each mostly its words.
  const splits = new Map<string, string[]>();
  for (const p of restOld) {
    const parts = candidates.filter((c) => c.old === p.key && c.containNew >= PART_THRESHOLD);
    const covered = parts.reduce((sum, c) => sum + c.containOld, 0);
    if (parts.length >= 2 && covered >= PART_THRESHOLD)
      splits.set(
        p.key,
        parts.map((c) => c.to),
      );
  }
  for (const [k, to] of splits) {
    if (to.some((t) => usedNew.has(t))) continue;
    for (const t of to) usedNew.add(t);
    result.set(k, {
      kind: "split",
      to: to.sort((a, b) => (newIndex.get(a) as number) - (newIndex.get(b) as number)),
    });
  }
  // 2b. Merged: several old paragraphs each mostly inside one new paragraph.
  const merges = new Map<string, string[]>();
  for (const c of candidates) {
    if (c.containOld >= PART_THRESHOLD && !result.has(c.old) && !usedNew.has(c.to))
      merges.set(c.to, [...(merges.get(c.to) ?? []), c.old]);
  }
  for (const [to, olds] of merges) {
    const fresh = [...new Set(olds)].filter((o) => !result.has(o));
    if (fresh.length < 2) continue;
    const covered = fresh.reduce(
      (sum, o) => sum + (candidates.find((c) => c.old === o && c.to === to)?.containNew ?? 0),
      0,
    );
    if (covered < PART_THRESHOLD) continue;
    usedNew.add(to);
    for (const o of fresh) result.set(o, { kind: "merged", to });
  }

  // 2c. Reworded: the most similar remaining new paragraph, one to one, best pairs first.
  candidates.sort((a, b) => b.similarity - a.similarity);
  const editedOld = new Set<string>();
  for (const c of candidates) {
    if (c.similarity < EDIT_THRESHOLD) break;
    if (editedOld.has(c.old) || usedNew.has(c.to) || result.has(c.old)) continue;
    editedOld.add(c.old);
    usedNew.add(c.to);
    pairs.push(c);
  }

  // Pairs whose order changed relative to the others moved.
  const oldIndex = new Map(oldParas.map((p, i) => [p.key, i]));
  pairs.sort((a, b) => (oldIndex.get(a.old) as number) - (oldIndex.get(b.old) as number));
  const kept = inOrder(pairs.map((x) => newIndex.get(x.to) as number));
  pairs.forEach((x, i) => {
    if (x.similarity === 1)
      result.set(
        x.old,
        kept.has(i) ? { kind: "unchanged", to: x.to } : { kind: "moved", to: x.to },
      );
    else
      result.set(x.old, {
        kind: "edited",
        to: x.to,
        similarity: Math.round(x.similarity * 100) / 100,
      });
  });

  // 3. Whatever is left is gone, unless most of its words live on inside a new paragraph.
  for (const p of oldParas.filter((x) => !result.has(x.key))) {
    const into = candidates
      .filter((c) => c.old === p.key && c.containOld >= PART_THRESHOLD)
      .sort((a, b) => b.containOld - a.containOld)[0];
    if (into) {
      usedNew.add(into.to);
      result.set(p.key, { kind: "merged", to: into.to });
    } else result.set(p.key, { kind: "removed" });
  }
  // Several old paragraphs landing in one new one were merged; a lone "merge" is a heavy edit.
  const into = new Map<string, string[]>();
  for (const [k, f] of result)
    if (f.kind === "merged" || f.kind === "edited") into.set(f.to, [...(into.get(f.to) ?? []), k]);
  for (const [to, olds] of into) {
    if (olds.length >= 2) {
      for (const o of olds) result.set(o, { kind: "merged", to });
    } else {
      const o = olds[0] as string;
      const f = result.get(o) as OldFate;
      if (f.kind !== "merged") continue;
      const og = oldGrams.get(o) as Set<string>;
      const ng = newGrams.get(to) as Set<string>;
      const n = overlap(og, ng);
      result.set(o, {
        kind: "edited",
        to,
        similarity: Math.round((n / (og.size + ng.size - n)) * 100) / 100,
      });
    }
  }
  return { old: result, added: newParas.filter((p) => !usedNew.has(p.key)).map((p) => p.key) };
}
