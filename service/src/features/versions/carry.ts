import { normalize, type OldFate, type Para, type ParagraphMap } from "./paragraph-map.ts";

export interface CarriedAnnotation {
  id: string;
  paragraphKey: string | null;
  quote: string | null;
}

export interface Carry {
  annotationId: string;
  /** intact: the quoted words are still there; changed: its paragraph was reworded; orphaned: its paragraph and words are gone. */
  status: "intact" | "changed" | "orphaned";
  paragraphKey: string | null;
  oldText: string | null;
  newText: string | null;
}

function targetsOf(fate: OldFate | undefined): string[] {
  if (!fate || fate.kind === "removed") return [];
  return fate.kind === "split" ? fate.to : [fate.to];
}

/**
 * Carries each comment into the new version. Nothing is dropped: a comment
 * whose words survive anywhere follows them; one whose paragraph was reworded
 * says so with the old and new text; one whose paragraph is gone is orphaned
 * and keeps the old text so it can be listed apart.
 */
export function carryAnnotations(
  oldParas: Para[],
  newParas: Para[],
  map: ParagraphMap,
  annotations: CarriedAnnotation[],
): Carry[] {
  const oldText = new Map(oldParas.map((p) => [p.key, p.text]));
  const newText = new Map(newParas.map((p) => [p.key, p.text]));
  const newNorm = newParas.map((p) => ({ key: p.key, text: normalize(p.text) }));
  return annotations.map((a) => {
    const before = a.paragraphKey ? (oldText.get(a.paragraphKey) ?? null) : null;
    const targets = a.paragraphKey ? targetsOf(map.old.get(a.paragraphKey)) : [];
    const quote = a.quote ? normalize(a.quote) : null;
    const after = targets.map((k) => newText.get(k) ?? "").join("\n");
    if (quote) {
      // Its own paragraph first. Only a comment whose paragraph is gone may
      // follow its words elsewhere, and only where they now stand once:
      // a common word found in another article is not the same passage.
      const inTarget = targets.find((k) => normalize(newText.get(k) ?? "").includes(quote));
      const elsewhere = targets.length ? [] : newNorm.filter((p) => p.text.includes(quote));
      const found = inTarget ?? (elsewhere.length === 1 ? elsewhere[0]?.key : undefined);
      if (found)
        return {
          annotationId: a.id,
          status: "intact",
          paragraphKey: found,
          oldText: before,
          newText: newText.get(found) ?? null,
        };
    } else if (targets.length && map.old.get(a.paragraphKey as string)?.kind === "unchanged") {
      return {
        annotationId: a.id,
        status: "intact",
        paragraphKey: targets[0] as string,
        oldText: before,
        newText: after,
      };
    }
    if (targets.length)
      return {
        annotationId: a.id,
        status: "changed",
        paragraphKey: targets[0] as string,
        oldText: before,
        newText: after,
      };
    return {
      annotationId: a.id,
      status: "orphaned",
      paragraphKey: null,
      oldText: before,
      newText: null,
    };
  });
}
