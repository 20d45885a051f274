import type { AnnotationPatch, EndorsementKind } from "@margin/model";
import type { Check } from "./checks.ts";
import type { MarginDb, Scope } from "./db.ts";
import { idMaker } from "./ids.ts";
import { liveItems } from "./live.ts";
import {
  createAnnotation,
  discardLocal,
  editAnnotation,
  keepMine,
  type NewAnnotation,
  type StoreDeps,
  setEndorsement,
  takeTheirs,
  withdrawAnnotation,
} from "./writes.ts";

/** The local writes bound to one database, for the UI. */
export function createMarginStore(deps: {
  db: MarginDb;
  check: Check;
  now?: () => number;
  newId?: () => string;
}) {
  const now = deps.now ?? Date.now;
  const d: StoreDeps = { db: deps.db, now, newId: deps.newId ?? idMaker(now), check: deps.check };
  return {
    db: deps.db,
    create: (input: NewAnnotation) => createAnnotation(d, input),
    edit: (id: string, patch: AnnotationPatch) => editAnnotation(d, id, patch),
    withdraw: (id: string) => withdrawAnnotation(d, id),
    endorse: (id: string, kind: EndorsementKind | null) => setEndorsement(d, id, kind),
    keepMine: (id: string) => keepMine(d, id),
    takeTheirs: (id: string) => takeTheirs(d, id),
    discardLocal: (id: string) => discardLocal(d, id),
    liveItems: (scope: Scope, paragraphKey?: string) => liveItems(deps.db, scope, paragraphKey),
  };
}

export type MarginStore = ReturnType<typeof createMarginStore>;
