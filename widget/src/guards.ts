/**
 * Hand checks of the messages that cross between the page and the frame.
 * Neither side carries a schema library (it would be a third of the in-page
 * part and a tenth of the sidebar); protocol.ts keeps the schemas as the
 * reference, and the tests hold these checks to the same answers on
 * generated messages.
 */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const str = (v: unknown, min: number, max: number): v is string =>
  typeof v === "string" && v.length >= min && v.length <= max;

export const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** No keys but these (the schemas are strict objects). */
export const only = (o: Record<string, unknown>, keys: string[]) =>
  Object.keys(o).every((k) => keys.includes(k));

/** A web page's address: what a comment's target may point at. */
export function isHttpUrl(v: unknown): v is string {
  if (!str(v, 1, 4096)) return false;
  try {
    const { protocol } = new URL(v);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

export function isSelector(s: unknown): boolean {
  if (!isObject(s)) return false;
  switch (s.type) {
    case "TextQuoteSelector":
      return (
        only(s, ["type", "exact", "prefix", "suffix"]) &&
        str(s.exact, 1, 10_000) &&
        (s.prefix === undefined || str(s.prefix, 0, 200)) &&
        (s.suffix === undefined || str(s.suffix, 0, 200))
      );
    case "TextPositionSelector":
      return only(s, ["type", "start", "end"]) && count(s.start) && count(s.end);
    case "ParagraphSelector":
      return only(s, ["type", "key"]) && str(s.key, 1, 200);
    default:
      return false;
  }
}

export const isSelectors = (v: unknown): boolean =>
  Array.isArray(v) && v.length >= 1 && v.length <= 5 && v.every(isSelector);
