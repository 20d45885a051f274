/** A comment to place: its id and the selectors it was made with (compared as JSON). */
export interface Placeable {
  id: string;
  selectors: unknown;
}

/** Where one comment was found on the page, and the selectors (as JSON) it was found with. */
export interface Found<R> {
  selectors: string;
  range: R | null;
}

/**
 * The comments of a new list that must be looked for on the page: new ones, and ones whose
 * selectors changed. The rest keep where they were found (until the page's text changes: then
 * the caller starts from an empty map). A new list is mostly comments already placed: a +1,
 * a pulled page, someone else's new comment.
 */
export function toAnchor<T extends Placeable, R>(
  placed: readonly T[],
  found: ReadonlyMap<string, Found<R>>,
): { item: T; selectors: string }[] {
  return placed
    .map((item) => ({ item, selectors: JSON.stringify(item.selectors) }))
    .filter(({ item, selectors }) => found.get(item.id)?.selectors !== selectors);
}

/** The places of the comments still listed: the ones just looked for, over the ones known. */
export function keptPlaces<T extends Placeable, R>(
  placed: readonly T[],
  found: ReadonlyMap<string, Found<R>>,
  looked: readonly { item: T; selectors: string }[],
  ranges: readonly (R | null)[],
): Map<string, Found<R>> {
  const next = new Map<string, Found<R>>();
  for (const [i, { item, selectors }] of looked.entries())
    next.set(item.id, { selectors, range: ranges[i] ?? null });
  for (const item of placed) {
    const known = found.get(item.id);
    if (known && !next.has(item.id)) next.set(item.id, known);
  }
  return next;
}
