// Kept apart from the schemas: the widget's frame works out pushed comments' addresses
// (push-answer.ts) and must not carry zod.

/**
 * The URL annotations on a page are stored against: no fragment, no query
 * (government pages rarely use it for content; tracking often does), no
 * trailing slash difference, lower-case host.
 */
export function canonicalUrl(url: string): string {
  const u = new URL(url);
  u.hash = "";
  u.search = "";
  u.hostname = u.hostname.toLowerCase();
  let s = u.toString();
  if (s.endsWith("/") && u.pathname !== "/") s = s.slice(0, -1);
  return s;
}
