// Kept apart from the schemas: the widget's frame works out pushed comments' addresses
// (push-answer.ts) and must not carry zod.

/**
 * The last address made canonical: a batch of 500 comments (stored by the service, or
 * worked out from a minimal push answer) is nearly always on one page, and parsing the
 * same URL 500 times took 2 ms of a push.
 */
let last: { url: string; canonical: string } | null = null;

/**
 * The URL annotations on a page are stored against: no fragment, no query
 * (government pages rarely use it for content; tracking often does), no
 * trailing slash difference, lower-case host.
 */
export function canonicalUrl(url: string): string {
  if (last?.url === url) return last.canonical;
  const u = new URL(url);
  u.hash = "";
  u.search = "";
  u.hostname = u.hostname.toLowerCase();
  let s = u.toString();
  if (s.endsWith("/") && u.pathname !== "/") s = s.slice(0, -1);
  last = { url, canonical: s };
  return s;
}
