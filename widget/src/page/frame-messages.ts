import type { Placed, ToPage } from "../protocol.ts";

/**
 * The page's check of what the sidebar frame sends: the same shapes as
 * ToPageSchema (protocol.ts), written out so the in-page part does not carry
 * a schema library (7 KB of its 20 KB budget). frame-messages.test.ts holds
 * the two to the same answers on generated messages.
 */
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str = (v: unknown, min: number, max: number): v is string =>
  typeof v === "string" && v.length >= min && v.length <= max;

const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

const only = (o: Record<string, unknown>, keys: string[]) =>
  Object.keys(o).every((k) => keys.includes(k));

function isSelector(s: unknown): boolean {
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

function isPlaced(p: unknown): p is Placed {
  return (
    isObject(p) &&
    only(p, ["id", "selectors", "paragraphKey"]) &&
    str(p.id, 1, 100) &&
    Array.isArray(p.selectors) &&
    p.selectors.length >= 1 &&
    p.selectors.length <= 5 &&
    p.selectors.every(isSelector) &&
    (p.paragraphKey === null || str(p.paragraphKey, 1, 200))
  );
}

/** The message, or null when it is not one the sidebar sends. */
export function frameMessage(data: unknown): ToPage | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case "margin:ready":
    case "margin:close":
      return only(data, ["type"]) ? (data as ToPage) : null;
    case "margin:show":
      return only(data, ["type", "id"]) && str(data.id, 1, 100) ? (data as ToPage) : null;
    case "margin:items":
      return only(data, ["type", "items"]) &&
        Array.isArray(data.items) &&
        data.items.length <= 100_000 &&
        data.items.every(isPlaced)
        ? (data as ToPage)
        : null;
    default:
      return null;
  }
}
