import * as z from "zod";

/**
 * A consultation says where its draft is published with URL patterns such as
 * `https://www.mol.gov.tw/drafts/*`. `*` matches any run of characters; the
 * rest matches literally. Query strings and fragments are ignored on both
 * sides, so tracking parameters never stop a match. Clients match locally
 * against the published list, so the service never learns what people browse.
 */
export const UrlPatternSchema = z
  .string()
  .min(8)
  .max(500)
  .regex(
    /^https?:\/\/[^/*\s]+(\/\S*)?$/,
    "must look like https://host/path, with * as a wildcard in the path only",
  );

function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

export function compileUrlPattern(pattern: string): RegExp {
  const body = stripQuery(pattern)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}

export function matchesUrlPattern(pattern: string, url: string): boolean {
  return compileUrlPattern(pattern).test(stripQuery(url));
}
