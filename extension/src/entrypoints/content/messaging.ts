import { browser } from "wxt/browser";
import type { ContentRequest, Result } from "../../shared/messages.ts";

/** Asks the background; the answer is a Result, never a throw. */
export async function ask<T>(msg: ContentRequest): Promise<Result<T>> {
  try {
    const res = (await browser.runtime.sendMessage(msg)) as Result<T> | undefined;
    return res ?? { ok: false, error: { code: "no_answer", message: "no answer" } };
  } catch (e) {
    return { ok: false, error: { code: "unavailable", message: String(e) } };
  }
}
