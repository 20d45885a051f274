import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectors, text } from "../message-arbitraries.ts";
import { parseMessage, ToFrameSchema } from "../protocol.ts";
import { pageMessage } from "./page-messages.ts";

const source = fc.constantFrom(
  "https://law.example.gov.tw/drafts/labor#art-21",
  "http://127.0.0.1:8080/c/1",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "not an address",
  "",
  ` https://x.test/${"a".repeat(4100)}`,
);
const target = fc.record(
  {
    selectors,
    quote: text(12),
    paragraphKey: fc.option(text(6), { nil: null }),
    label: fc.option(fc.string({ maxLength: 45 }), { nil: null }),
    source,
    extra: fc.boolean(),
  },
  { requiredKeys: ["selectors", "quote", "paragraphKey", "label", "source"] },
);
const message = fc.oneof(
  fc.record({ type: fc.constant("margin:compose"), target }),
  fc.record({
    type: fc.constant("margin:anchored"),
    orphans: fc.array(fc.oneof(text(4), fc.integer()), { maxLength: 4 }),
  }),
  fc.record(
    {
      type: fc.constant("margin:open"),
      paragraph: fc.option(
        fc.record({ key: text(6), label: fc.string({ maxLength: 45 }) }, { requiredKeys: [] }),
        { nil: null },
      ),
      extra: fc.constant(1),
    },
    { requiredKeys: ["type"] },
  ),
  fc.record({ type: fc.constantFrom("margin:open", "margin:items", "margin:nope") }),
  fc.anything(),
);

describe("pageMessage", () => {
  it("accepts exactly what the protocol's schema accepts", () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(pageMessage(m) !== null).toBe(parseMessage(ToFrameSchema, m) !== null);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the page's real messages and refuses a target that is not a web page", () => {
    const target = {
      selectors: [
        { type: "TextQuoteSelector", exact: "工資", prefix: "雇主", suffix: "應" },
        { type: "ParagraphSelector", key: "art-21.p1" },
      ],
      quote: "工資",
      paragraphKey: "art-21.p1",
      label: "第 21 條",
      source: "https://law.example.gov.tw/drafts/labor",
    };
    expect(pageMessage({ type: "margin:compose", target })).toEqual({
      type: "margin:compose",
      target,
    });
    expect(pageMessage({ type: "margin:open", paragraph: null })).not.toBe(null);
    expect(
      pageMessage({ type: "margin:compose", target: { ...target, source: "javascript:alert(1)" } }),
    ).toBe(null);
    expect(pageMessage({ type: "margin:anchored", orphans: ["a", 3] })).toBe(null);
  });
});
