import { describe, expect, it } from "vitest";
import { annotationAsSent, expandPushAnswer, minimalResult } from "./push-answer.ts";
import type { MutationInput, PushResult } from "./sync.ts";

const author = {
  id: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f73",
  displayName: "Lin",
  role: "citizen",
} as const;
const at = "2026-12-01T12:00:00.000Z";
const sent: MutationInput = {
  type: "annotation.create",
  key: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70",
  annotation: {
    id: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f71",
    consultationId: null,
    target: {
      source: "https://Gov.example/draft?utm=x#art-1",
      selector: [
        { type: "TextQuoteSelector", exact: "勞動條件" },
        { type: "ParagraphSelector", key: "art-1.p1" },
      ],
    },
    text: "Keep the rest day.",
  },
};
const stored = annotationAsSent(
  (sent as Extract<MutationInput, { type: "annotation.create" }>).annotation,
  author,
  at,
);

describe("the minimal push answer", () => {
  it("works out a new comment as stored: canonical address, paragraph, defaults", () => {
    expect(stored).toMatchObject({
      target: { source: "https://gov.example/draft" },
      paragraphKey: "art-1.p1",
      motivation: "commenting",
      stance: "neutral",
      suggestion: null,
      parentId: null,
      revision: 1,
      created: at,
      modified: at,
      endorsements: { agree: 0, disagree: 0 },
    });
  });

  it("leaves out only an annotation equal to the one worked out, key order aside", () => {
    const reordered = {
      ...stored,
      target: { selector: stored.target.selector, source: stored.target.source },
    };
    const applied: PushResult = { key: sent.key, status: "applied", annotation: reordered };
    expect(minimalResult(sent, applied, author, at)).toEqual({ key: sent.key, status: "applied" });
    for (const changed of [
      { ...stored, text: "Keep the rest day" },
      { ...stored, modified: "2026-12-01T12:00:01.000Z" },
      { ...stored, endorsements: { agree: 1, disagree: 0 } },
      { ...stored, target: { ...stored.target, selector: stored.target.selector.slice(1) } },
    ]) {
      const whole: PushResult = { key: sent.key, status: "applied", annotation: changed };
      expect(minimalResult(sent, whole, author, at)).toBe(whole);
    }
  });

  it("gives every result whole again from what was sent", () => {
    const rejected: PushResult = {
      key: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f72",
      status: "rejected",
      error: { code: "consultation_closed", message: "closed" },
    };
    const answer = {
      results: [{ key: sent.key, status: "applied" as const }, rejected],
      author,
      at,
    };
    expect(expandPushAnswer([sent], answer)).toEqual([
      { key: sent.key, status: "applied", annotation: stored },
      rejected,
    ]);
    expect(expandPushAnswer([sent], { results: answer.results })).toBeNull();
  });

  it("works out each left-out result from its own mutation, even for a key sent twice", () => {
    const create = sent as Extract<MutationInput, { type: "annotation.create" }>;
    const resent = { ...create, annotation: { ...create.annotation, text: "Changed, same key" } };
    const first: PushResult = { key: sent.key, status: "applied", annotation: stored };
    // The service answers the second like a replay: the first's copy, whole since it differs.
    const answer = { results: [{ key: sent.key, status: "applied" as const }, first], author, at };
    expect(expandPushAnswer([sent, resent], answer)).toEqual([first, first]);
    expect(expandPushAnswer([resent, sent], answer)?.[0]).toEqual({
      ...first,
      annotation: { ...stored, text: "Changed, same key" },
    });
  });
});
