import { readFile, stat } from "node:fs/promises";
import { join, normalize, sep } from "node:path";

export const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** A built file under `dist`, or null; a path that climbs out of `dist` is never read. */
export async function readDistFile(dist: string, path: string): Promise<Buffer | null> {
  const root = normalize(dist.endsWith(sep) ? dist : `${dist}${sep}`);
  const full = normalize(join(root, path));
  if (!full.startsWith(root) || path.includes("\0")) return null;
  try {
    if (!(await stat(full)).isFile()) return null;
    return await readFile(full);
  } catch {
    return null;
  }
}
