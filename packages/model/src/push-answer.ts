import type { PublicPerson } from "./accounts.ts";
import type { Annotation, AnnotationInput } from "./annotations.ts";
import { canonicalUrl } from "./canonical-url.ts";
import { sameJson } from "./same-json.ts";
import { paragraphKeyOf } from "./selector-lookup.ts";
import type { MutationInput, PushAnswer, PushResult } from "./sync.ts";

/*
 * A push asked with `Prefer: return=minimal` answers a new comment that was stored exactly
 * as annotationAsSent works it out from what the client sent with `{ key, status: "applied" }`
 * alone, and gives the author and the moment once for the whole answer. A push of 500 new
 * comments otherwise sends back ~360 KB the client already has (a fifth of the push's time).
 * The service compares every stored copy with annotationAsSent and sends the copy whenever
 * the two differ, so a default or a clean-up that changes on one side costs bytes, never a
 * wrong copy on the client.
 */

/** A new comment as the service stores it, worked out from what the client sent. */
export function annotationAsSent(
  input: AnnotationInput,
  author: PublicPerson,
  at: string,
): Annotation {
  return {
    id: input.id,
    consultationId: input.consultationId ?? null,
    target: { source: canonicalUrl(input.target.source), selector: input.target.selector },
    paragraphKey: paragraphKeyOf(input.target.selector),
    parentId: input.parentId ?? null,
    motivation: input.motivation ?? "commenting",
    text: input.text,
    suggestion: input.suggestion ?? null,
    stance: input.stance ?? "neutral",
    author,
    created: at,
    modified: at,
    revision: 1,
    status: "visible",
    hiddenReason: null,
    endorsements: { agree: 0, disagree: 0 },
    pointId: null,
  };
}

/** The answer for one mutation, given whole or, when it equals annotationAsSent, left out. */
export function minimalResult(
  sent: MutationInput,
  result: PushResult,
  author: PublicPerson,
  at: string,
): PushAnswer["results"][number] {
  return result.status === "applied" &&
    sent.type === "annotation.create" &&
    sameJson(result.annotation, annotationAsSent(sent.annotation, author, at))
    ? { key: result.key, status: "applied" }
    : result;
}

/**
 * Every result whole again, from the mutations sent (results come one per mutation, in
 * order, and each is worked out from its own, even for a key sent twice); null when a
 * left-out annotation cannot be (its mutation is not a new comment with that key, or the
 * answer lacks the author or moment).
 */
export function expandPushAnswer(
  sent: readonly MutationInput[],
  answer: PushAnswer,
): PushResult[] | null {
  const out: PushResult[] = [];
  for (const [i, r] of answer.results.entries()) {
    if (r.status !== "applied" || "annotation" in r) {
      out.push(r);
      continue;
    }
    const m = sent[i];
    if (m?.type !== "annotation.create" || m.key !== r.key || !answer.author || !answer.at)
      return null;
    out.push({
      key: r.key,
      status: "applied",
      annotation: annotationAsSent(m.annotation, answer.author, answer.at),
    });
  }
  return out;
}
