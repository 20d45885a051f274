import { type AnnotationCreate, canonicalUrl, effectiveStatus } from "@margin/model";
import { type Kysely, sql } from "kysely";
import { batcher, perDb } from "../../db/batcher.ts";
import { jsonb } from "../../db/jsonb.ts";
import type { Database } from "../../db/schema.ts";
import type { AuthUser } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import { gateError } from "../consultations/consultation-gate.ts";
import { type CommandResult, newAnnotationRow } from "./annotations.commands.ts";
import { type AnnotationRow, selectAnnotations } from "./annotations.repository.ts";

/** A consultation as the gate sees it, read in the same statement that writes. */
interface GateRow {
  id: string;
  agency_id: string;
  status: "draft" | "published" | "concluded";
  opens_at: string;
  closes_at: string;
}

/** A new top-level comment, by whom and as of when. */
export interface NewComment {
  user: AuthUser;
  input: AnnotationCreate;
  now: Date;
}

/**
 * Many new top-level comments at once, as an offline outbox delivers them.
 * Same rules and same results as `createAnnotation` (replies go through that one).
 */
export function createAnnotationsBulk(
  db: Kysely<Database>,
  user: AuthUser,
  inputs: AnnotationCreate[],
  now: Date,
): Promise<CommandResult[]> {
  return storeNewComments(
    db,
    inputs.map((input) => ({ user, input, now })),
  );
}

/**
 * New top-level comments, by any number of people: the gate check, the insert
 * and the change log are one statement, so a batch costs one round trip and
 * needs no explicit transaction (one statement is atomic: acknowledged means
 * stored). Each comment is checked against the gate as of its own `now`.
 *
 * The comment's id makes sending it again safe: an id already stored by the
 * same person is answered `applied` with the stored comment (a retry, even once
 * the consultation has closed), by anyone else as a taken id. So a sync push
 * needs to remember nothing for the comments this stores.
 */
export async function storeNewComments(
  db: Kysely<Database>,
  items: NewComment[],
): Promise<CommandResult[]> {
  const results: CommandResult[] = new Array(items.length);
  // The first of two creates with one id in a batch wins; the second is answered
  // like a retry (its author's) or as a taken id (anyone else's).
  const firstIndex = new Map<string, number>();
  const rows = items.flatMap(({ input, user, now }, i) => {
    if (firstIndex.has(input.id)) return [];
    firstIndex.set(input.id, i);
    const where = {
      consultationId: input.consultationId,
      source: canonicalUrl(input.target.source),
      selectors: input.target.selector,
    };
    return [{ ...newAnnotationRow(input, user, now, where), ord: i }];
  });
  // Where, by whom and when is the same for most of a batch: each distinct value is sent
  // once and rows point to it, so PostgreSQL parses and converts a third as much JSON.
  const contextIndex = new Map<string, number>();
  const contexts: object[] = [];
  const perRow = rows.map((r) => {
    // Not JSON.stringify: with its two dates that cost more than the rest of the row.
    const k = `${r.scope}\n${r.consultation_id}\n${r.source}\n${r.author_id}\n${r.created_at.getTime()}\n${r.modified_at.getTime()}\n${r.revision}\n${r.status}`;
    let c = contextIndex.get(k);
    if (c === undefined) {
      c = contexts.length;
      contexts.push({
        scope: r.scope,
        consultation_id: r.consultation_id,
        source: r.source,
        author_id: r.author_id,
        created_at: r.created_at,
        modified_at: r.modified_at,
        revision: r.revision,
        status: r.status,
        n: c,
      });
      contextIndex.set(k, c);
    }
    return {
      id: r.id,
      selectors: r.selectors,
      paragraph_key: r.paragraph_key,
      parent_id: r.parent_id,
      motivation: r.motivation,
      text: r.text,
      suggestion: r.suggestion,
      stance: r.stance,
      ord: r.ord,
      c,
    };
  });
  const consultationIds = [...new Set(items.flatMap((i) => i.input.consultationId ?? []))];
  // One JSON parameter for the whole batch: PostgreSQL unpacks it far faster
  // than it binds thousands of separate parameters. The `open` test is
  // effectiveStatus() === "open" (stored published, opens_at <= now < closes_at,
  // with each comment's own now: its created_at);
  // why a comment was refused is worded below from the gate rows returned.
  const written = rows.length
    ? (
        await sql<{ gates: GateRow[] | null; created: string[] | null }>`
          with gate as (
            select id, agency_id, status, opens_at, closes_at
              from consultations where id = any(${sql.val(consultationIds)}::uuid[])
          ),
          input as (
            select r.id, c.scope, c.consultation_id, c.source, r.selectors, r.paragraph_key, r.parent_id,
                   r.motivation, r.text, r.suggestion, r.stance, c.author_id, c.created_at, c.modified_at,
                   c.revision, c.status, r.ord
              from jsonb_to_recordset(${jsonb(perRow)}) as r(id uuid, selectors jsonb, paragraph_key text,
                   parent_id uuid, motivation text, text text, suggestion text, stance text, ord int, c int)
              join jsonb_to_recordset(${jsonb(contexts)})
                   as c(scope text, consultation_id uuid, source text, author_id uuid, created_at timestamptz,
                        modified_at timestamptz, revision int, status text, n int)
                on c.n = r.c
          ),
          ins as (
            insert into annotations (id, scope, consultation_id, source, selectors, paragraph_key, parent_id,
                                     motivation, text, suggestion, stance, author_id, created_at, modified_at,
                                     revision, status)
            select r.id, r.scope, r.consultation_id, r.source, r.selectors, r.paragraph_key, r.parent_id,
                   r.motivation, r.text, r.suggestion, r.stance, r.author_id, r.created_at, r.modified_at,
                   r.revision, r.status
              from input r
             where r.consultation_id is null
                or exists (select 1 from gate g
                            where g.id = r.consultation_id and g.status = 'published'
                              and g.opens_at <= r.created_at and r.created_at < g.closes_at)
             order by r.ord
            on conflict (id) do nothing
            returning id, scope
          ),
          logged as (
            insert into changes (scope, entity, entity_id)
            select ins.scope, 'annotation', ins.id from ins join input r using (id) order by r.ord
          )
          select (select json_agg(gate) from gate) as gates,
                 (select json_agg(ins.id) from ins) as created`.execute(db)
      ).rows[0]
    : undefined;
  const gates = new Map<string, GateRow & { opens: Date; closes: Date }>();
  for (const g of written?.gates ?? [])
    gates.set(g.id, { ...g, opens: new Date(g.opens_at), closes: new Date(g.closes_at) });
  // Comments of one batch share a few moments: each (consultation, moment) is judged once.
  const verdicts = new Map<string, AppError | null>();
  const gateVerdict = (consultationId: string, now: Date) => {
    const moment = `${consultationId} ${now.getTime()}`;
    let closed = verdicts.get(moment);
    if (closed === undefined) {
      const g = gates.get(consultationId);
      const dates = g && { opens_at: g.opens, closes_at: g.closes };
      // A consultation not returned does not exist.
      closed = gateError(
        g && dates ? { ...g, ...dates, status: effectiveStatus(g.status, dates, now) } : null,
      );
      verdicts.set(moment, closed);
    }
    return closed;
  };
  const created = new Set(written?.created ?? []);

  // What was just inserted is known here; only ids that were not stored now are read back.
  const byId = new Map<string, AnnotationRow>();
  for (const r of rows) {
    if (!created.has(r.id)) continue;
    const { user } = items[r.ord] as NewComment;
    // `ord` rides along unread: one spread of the row costs far less than taking it out.
    byId.set(r.id, {
      ...r,
      hidden_reason: null,
      agree_count: 0,
      disagree_count: 0,
      cluster_id: null,
      author_name: user.display_name,
      author_role: user.role,
      agency_id: r.consultation_id ? (gates.get(r.consultation_id)?.agency_id ?? null) : null,
    });
  }
  const existing = [...new Set(rows.filter((r) => !created.has(r.id)).map((r) => r.id))];
  if (existing.length)
    for (const r of await selectAnnotations(db).where("a.id", "in", existing).execute())
      byId.set(r.id, r);
  items.forEach(({ input, user, now }, i) => {
    const row = byId.get(input.id);
    if (row && row.author_id === user.id) {
      results[i] = {
        status: "applied",
        row,
        created: created.has(input.id) && firstIndex.get(input.id) === i,
      };
      return;
    }
    const closed = !row && input.consultationId ? gateVerdict(input.consultationId, now) : null;
    results[i] = {
      status: "rejected",
      error:
        closed ??
        new AppError("conflict", "this annotation id is already taken; make a new UUIDv7"),
    };
  });
  return results;
}

/**
 * storeNewComments for the REST route: comments posted at the same moment,
 * by anyone, are stored by one statement (see db/batcher.ts), which is what
 * lets a deadline rush through without a commit per comment.
 */
export const postedComments = perDb((db: Kysely<Database>) =>
  batcher((items: NewComment[]) => storeNewComments(db, items), {
    maxBatch: 500,
    maxInFlight: 1,
  }),
);
