import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook } from "./webhook-signature.ts";

describe("webhook signatures", () => {
  const at = new Date("2026-11-22T10:00:00Z");
  it("verify with the right secret and body only", () => {
    const sig = signWebhook("s3cret", '{"a":1}', at);
    expect(sig).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook("s3cret", '{"a":1}', sig, at)).toBe(true);
    expect(verifyWebhook("other", '{"a":1}', sig, at)).toBe(false);
    expect(verifyWebhook("s3cret", '{"a":2}', sig, at)).toBe(false);
  });
  it("refuse replays of old deliveries", () => {
    const sig = signWebhook("s3cret", "{}", at);
    expect(verifyWebhook("s3cret", "{}", sig, new Date(at.getTime() + 10 * 60_000))).toBe(false);
  });
});
