import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "./api.ts";

export type Async<T> =
  | { state: "loading" }
  | { state: "error"; error: Error }
  | { state: "ready"; value: T };

/** Loads once per change of deps; `reload()` loads again (after a write). */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [result, setResult] = useState<Async<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setResult({ state: "ready", value }),
      (error: Error) => live && setResult({ state: "error", error }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [result, reload] as const;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.details.map((d) => `${d.path}: ${d.message}`).join("; ");
    return fields ? `${e.message} (${fields})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
