import { browser } from "wxt/browser";
import type { PageRequest, Result } from "../messages.ts";

export async function call<T>(msg: PageRequest): Promise<Result<T>> {
  try {
    const res = (await browser.runtime.sendMessage(msg)) as Result<T> | undefined;
    return res ?? { ok: false, error: { code: "no_answer", message: "no answer" } };
  } catch (e) {
    return { ok: false, error: { code: "unavailable", message: String(e) } };
  }
}
