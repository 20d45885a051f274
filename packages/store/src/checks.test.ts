import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serviceChecks } from "./checks.ts";
import { CONSULTATION, SOURCE } from "./testing.ts";
import { zodChecks } from "./zod-checks.ts";

const ID = "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70";

/** New comments as the composers make them: some fields left to their defaults. */
const validInput = fc.record(
  {
    id: fc.constant(ID),
    consultationId: fc.constantFrom(CONSULTATION, null),
    target: fc.constant({
      source: SOURCE,
      selector: [
        { type: "TextQuoteSelector", exact: "工資", prefix: "雇主", suffix: "應" },
        { type: "ParagraphSelector", key: "art-21.p1" },
      ],
    }),
    parentId: fc.constant(null),
    motivation: fc.constantFrom("commenting", "questioning"),
    text: fc
      .tuple(
        fc.constantFrom("", " ", "\n  "),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ""),
        fc.constantFrom("", " ", "\t\n"),
      )
      .map(([a, b, c]) => a + b + c),
    suggestion: fc.constant(null),
    stance: fc.constantFrom("support", "oppose", "neutral"),
  },
  { requiredKeys: ["id", "target", "text"] },
);

describe("serviceChecks (the widget frame leaves checking to the service)", () => {
  it("gives a valid new comment the same defaults and trimming the schema does", () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const strict = zodChecks("annotationInput", input);
        expect(strict.ok).toBe(true);
        expect(serviceChecks("annotationInput", input)).toEqual(strict);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a comment the schema would refuse, for the service to refuse with its reason", () => {
    const tooLong = { id: ID, target: { source: SOURCE, selector: [] }, text: "x".repeat(10_001) };
    expect(zodChecks("annotationInput", tooLong).ok).toBe(false);
    expect(serviceChecks("annotationInput", tooLong).ok).toBe(true);
  });

  it("takes an error body only when it is one", () => {
    const body = { error: { code: "rate_limited", message: "slow down" } };
    expect(serviceChecks("apiError", body)).toEqual({ ok: true, value: body });
    for (const bad of [null, "<html>502</html>", [], { error: "x" }, { error: { code: 1 } }])
      expect(serviceChecks("apiError", bad).ok).toBe(false);
  });

  it("refuses an answer that is not a JSON object", () => {
    for (const bad of [undefined, null, "ok", 3, [1]])
      expect(serviceChecks("session", bad).ok).toBe(false);
    expect(serviceChecks("session", { token: "t" }).ok).toBe(true);
  });
});
