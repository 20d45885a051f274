import { asList, isObject } from "../exports/w3c-input.ts";
import { looksLikeHypothesis } from "./import-hypothesis.ts";

export type ImportFormat = "w3c" | "hypothesis";

/**
 * The annotations an import file holds, and which format they are in:
 * a W3C annotation, an array of them, an AnnotationCollection or
 * AnnotationPage (`items`, or `first.items` when the first page is embedded);
 * or Hypothesis's client export (`{annotations: [...]}`), its API's search
 * answer (`{rows: [...]}`) or a bare array of its annotations.
 */
export function unpackImportFile(body: unknown): { format: ImportFormat; items: unknown[] } {
  let items: unknown[];
  if (Array.isArray(body)) items = body;
  else if (isObject(body) && Array.isArray(body.annotations)) items = body.annotations;
  else if (isObject(body) && Array.isArray(body.rows)) items = body.rows;
  else if (isObject(body) && isCollection(body)) items = collectionItems(body);
  else items = [body];
  return { format: looksLikeHypothesis(items[0]) ? "hypothesis" : "w3c", items };
}

function isCollection(o: Record<string, unknown>): boolean {
  const types = asList(o.type);
  return types.includes("AnnotationCollection") || types.includes("AnnotationPage");
}

/**
 * The annotations embedded in a collection or page. In JSON-LD they are read
 * in their container's context, so one without its own `@context` is given
 * the container's before it is checked on its own.
 */
function collectionItems(o: Record<string, unknown>): unknown[] {
  const page = Array.isArray(o.items) ? o : isObject(o.first) ? o.first : null;
  // A collection that only links to its pages carries nothing to import here.
  if (!page || !Array.isArray(page.items)) return [];
  const context = page["@context"] ?? o["@context"];
  return page.items.map((item) =>
    isObject(item) && item["@context"] === undefined && context !== undefined
      ? { "@context": context, ...item }
      : item,
  );
}
