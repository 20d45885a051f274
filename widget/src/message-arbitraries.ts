/** Generated messages for the tests that hold guards.ts to protocol.ts: near misses, not just noise. */
import fc from "fast-check";

export const text = (max: number) => fc.string({ minLength: 0, maxLength: max });

export const selector = fc.oneof(
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

export const selectors = fc.array(selector, { minLength: 0, maxLength: 6 });
