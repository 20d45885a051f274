import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectors, text } from "../message-arbitraries.ts";
import { parseMessage, ToPageSchema } from "../protocol.ts";
import { frameMessage } from "./frame-messages.ts";

const placed = fc.record(
  {
    id: text(6),
    selectors,
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
