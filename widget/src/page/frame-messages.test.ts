import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMessage, ToPageSchema } from "../protocol.ts";
import { frameMessage } from "./frame-messages.ts";

const text = (max: number) => fc.string({ minLength: 0, maxLength: max });
const selector = fc.oneof(
  fc.record(
    { type: fc.constant("TextQuoteSelector"), exact: text(20), prefix: text(5), suffix: text(5) },
    { requiredKeys: ["type", "exact"] },
  ),
  fc.record({
    type: fc.constant("TextPositionSelector"),
    start: fc.integer({ min: -2, max: 50 }),
    end: fc.integer({ min: -2, max: 50 }),
  }),
  fc.record({ type: fc.constant("ParagraphSelector"), key: text(8) }),
  fc.record({ type: fc.constant("Other"), key: text(3) }),
);
const placed = fc.record(
  {
    id: text(6),
    selectors: fc.array(selector, { minLength: 0, maxLength: 6 }),
    paragraphKey: fc.option(text(6), { nil: null }),
    extra: fc.boolean(),
  },
  { requiredKeys: ["id", "selectors", "paragraphKey"] },
);
const message = fc.oneof(
  fc.record({
    type: fc.constantFrom("margin:ready", "margin:close", "margin:show", "margin:nope"),
  }),
  fc.record({ type: fc.constant("margin:show"), id: fc.oneof(text(4), fc.integer()) }),
  fc.record({ type: fc.constant("margin:items"), items: fc.array(placed, { maxLength: 4 }) }),
  fc.anything(),
);

describe("frameMessage", () => {
  it("accepts exactly what the protocol's schema accepts", () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(frameMessage(m) !== null).toBe(parseMessage(ToPageSchema, m) !== null);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the sidebar's real messages", () => {
    const items = [
      {
        id: "a1",
        selectors: [
          { type: "TextQuoteSelector", exact: "wage", prefix: "the ", suffix: " of" },
          { type: "TextPositionSelector", start: 3, end: 7 },
          { type: "ParagraphSelector", key: "art-21.p1" },
        ],
        paragraphKey: "art-21.p1",
      },
    ];
    expect(frameMessage({ type: "margin:items", items })).toEqual({ type: "margin:items", items });
    expect(frameMessage({ type: "margin:ready" })).toEqual({ type: "margin:ready" });
    expect(frameMessage({ type: "margin:ready", extra: 1 })).toBe(null);
    expect(frameMessage("<img src=x onerror=alert(1)>")).toBe(null);
  });
});
