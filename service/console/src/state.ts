import type { Session } from "@margin/model";
import { computed, signal } from "@preact/signals";
import { createApi, sessionStore } from "./api.ts";

export const session = signal<Session | null>(sessionStore.load());
export const api = createApi(() => session.value?.token ?? null);

export function signedIn(s: Session | null) {
  sessionStore.save(s);
  session.value = s;
}

export const BASE = "/console";

export type Route =
  | { name: "list" }
  | { name: "new" }
  | { name: "consultation"; id: string; tab: "points" | "heatmap" | "deadline" | "settings" };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split("/").filter(Boolean);
  if (parts[0] === "new") return { name: "new" };
  if (parts[0] === "c" && parts[1]) {
    const tab = parts[2];
    return {
      name: "consultation",
      id: decodeURIComponent(parts[1]),
      tab: tab === "heatmap" || tab === "deadline" || tab === "settings" ? tab : "points",
    };
  }
  return { name: "list" };
}

export const path = signal(location.pathname + location.search);
export const route = computed(() => parseRoute(path.value.split("?")[0] ?? ""));
/** Query parameters of the console's own URL (filters live there, so they survive a reload). */
export const query = computed(() => new URLSearchParams(path.value.split("?")[1] ?? ""));

export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  path.value = location.pathname + location.search;
}

/** Follows same-app links without reloading; returns a disposer. */
export function listenToNavigation(): () => void {
  const onPop = () => {
    path.value = location.pathname + location.search;
  };
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return;
    const a = (e.target as Element | null)?.closest?.("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  };
  addEventListener("popstate", onPop);
  document.addEventListener("click", onClick);
  return () => {
    removeEventListener("popstate", onPop);
    document.removeEventListener("click", onClick);
  };
}
