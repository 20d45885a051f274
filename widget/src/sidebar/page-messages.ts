import { isHttpUrl, isObject, isSelectors, only, str } from "../guards.ts";
import type { Target, ToFrame } from "../protocol.ts";

/** The frame's check of what the page sends: ToFrameSchema's shapes (see guards.ts). */
function isTarget(t: unknown): t is Target {
  return (
    isObject(t) &&
    only(t, ["selectors", "quote", "paragraphKey", "label", "source"]) &&
    isSelectors(t.selectors) &&
    str(t.quote, 1, 10_000) &&
    (t.paragraphKey === null || str(t.paragraphKey, 1, 200)) &&
    (t.label === null || str(t.label, 0, 40)) &&
    isHttpUrl(t.source)
  );
}

/** The message, or null when it is not one the page may send. */
export function pageMessage(data: unknown): ToFrame | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case "margin:anchored":
      return only(data, ["type", "orphans"]) &&
        Array.isArray(data.orphans) &&
        data.orphans.length <= 100_000 &&
        data.orphans.every((id) => str(id, 1, 100))
        ? (data as ToFrame)
        : null;
    case "margin:compose":
      return only(data, ["type", "target"]) && isTarget(data.target) ? (data as ToFrame) : null;
    case "margin:open": {
      const p = data.paragraph;
      return only(data, ["type", "paragraph"]) &&
        (p === null ||
          (isObject(p) && only(p, ["key", "label"]) && str(p.key, 1, 200) && str(p.label, 0, 40)))
        ? (data as ToFrame)
        : null;
    }
    default:
      return null;
  }
}
