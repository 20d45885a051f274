import { browser } from "wxt/browser";
import { enabledSitesItem, patternsItem, serviceUrlItem } from "../../shared/settings.ts";
import { originPattern, patternOrigin } from "../../shared/sites.ts";

export const CONTENT_SCRIPT = "/content-scripts/content.js";
const SCRIPT_ID = "margin-content";

/** Origins of every published consultation's URL patterns (and the service's own pages). */
export async function consultationOrigins(): Promise<string[]> {
  const cache = await patternsItem.getValue();
  const out = new Set<string>();
  for (const c of cache?.consultations ?? [])
    for (const p of c.urlPatterns) {
      const o = patternOrigin(p);
      if (o) out.add(o);
    }
  return [...out].sort();
}

export async function permitted(origin: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [originPattern(origin)] });
  } catch {
    return false;
  }
}

/**
 * Registers the content script on the origins the person allowed: sites turned
 * on from the toolbar, and consultation sites whose host permission was
 * granted. On each page the script asks the background whether to run, and
 * the background matches the URL locally.
 */
export async function syncRegistration(): Promise<string[]> {
  const origins = new Set([
    ...(await enabledSitesItem.getValue()),
    ...(await consultationOrigins()),
  ]);
  origins.add(new URL(await serviceUrlItem.getValue()).origin);
  const matches = new Set<string>();
  for (const o of origins) if (await permitted(o)) matches.add(originPattern(o));
  const list = [...matches].sort();
  const existing = await browser.scripting
    .getRegisteredContentScripts({ ids: [SCRIPT_ID] })
    .catch(() => []);
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (list.length > 0) {
    const script = {
      id: SCRIPT_ID,
      js: [CONTENT_SCRIPT],
      matches: list,
      runAt: "document_idle" as const,
    };
    try {
      await browser.scripting.registerContentScripts([{ ...script, persistAcrossSessions: true }]);
    } catch {
      await browser.scripting.registerContentScripts([script]);
    }
  }
  return list;
}

/** Runs the content script in a tab now (it guards against running twice). */
export async function injectInto(tabId: number): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });
}
