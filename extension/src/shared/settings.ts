import { storage } from "wxt/utils/storage";

/** Typed extension storage. Nothing secret lives here: the sign-in token is kept by the background only (see background/credentials.ts). */

export const DEFAULT_SERVICE_URL = "http://127.0.0.1:8787";

export type LocaleSetting = "auto" | "zh-Hant" | "en";

export const serviceUrlItem = storage.defineItem<string>("local:serviceUrl", {
  fallback: DEFAULT_SERVICE_URL,
});

/** Origins (e.g. `https://www.mol.gov.tw`) the person turned Margin on for. */
export const enabledSitesItem = storage.defineItem<string[]>("local:enabledSites", {
  fallback: [],
});

export const localeItem = storage.defineItem<LocaleSetting>("local:locale", { fallback: "auto" });

/** The published consultation URL patterns, as last downloaded (matched locally). */
export interface PatternCache {
  fetchedAt: number;
  serviceUrl: string;
  consultations: { id: string; title: string; status: string; urlPatterns: string[] }[];
}
export const patternsItem = storage.defineItem<PatternCache | null>("local:urlPatterns", {
  fallback: null,
});
