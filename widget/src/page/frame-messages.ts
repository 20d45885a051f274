import { isObject, isSelectors, only, str } from "../guards.ts";
import type { Placed, ToPage } from "../protocol.ts";

/** The page's check of what the sidebar frame sends: ToPageSchema's shapes (see guards.ts). */
function isPlaced(p: unknown): p is Placed {
  return (
    isObject(p) &&
    only(p, ["id", "selectors", "paragraphKey"]) &&
    str(p.id, 1, 100) &&
    isSelectors(p.selectors) &&
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
