import { canonicalUrl, matchesUrlPattern } from "@margin/model";
import type { PatternCache } from "../../shared/settings.ts";
import { originOf } from "../../shared/sites.ts";

/** Where a page stands: matched locally against the downloaded patterns (the service never sees the URL). */
export interface PageScope {
  source: string;
  origin: string;
  consultation: { id: string; title: string } | null;
  siteEnabled: boolean;
}

export function scopeOfPage(
  url: string,
  patterns: PatternCache | null,
  enabledSites: readonly string[],
): PageScope | null {
  const origin = originOf(url);
  if (!origin) return null;
  let source: string;
  try {
    source = canonicalUrl(url);
  } catch {
    return null;
  }
  let consultation: PageScope["consultation"] = null;
  for (const c of patterns?.consultations ?? []) {
    if (c.urlPatterns.some((p) => matchesUrlPattern(p, url))) {
      consultation = { id: c.id, title: c.title };
      break;
    }
  }
  return { source, origin, consultation, siteEnabled: enabledSites.includes(origin) };
}
