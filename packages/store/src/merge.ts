import {
  type Annotation,
  annotationAsSent,
  type Mutation,
  type PushResult,
  sameJson,
} from "@margin/model";
import type { Table } from "dexie";
import { ACKNOWLEDGE_IN_BULK_FROM, type AcknowledgedRow, changedByRecord } from "./acknowledged.ts";
import type {
  AnnotationRow,
  CursorRow,
  LocalOverlay,
  MarginDb,
  OutboxRow,
  ResponseRow,
} from "./db.ts";
import { overlayOf, sentThrough, settled } from "./writes.ts";

/** Sync-side transactions: taking a batch from the outbox, applying push results, merging pulled changes. */

export interface SentEntry {
  seq: number;
  key: string;
  annotationId: string;
  kind: OutboxRow["kind"];
  mutation: Mutation;
}

export function rowFromServer(a: Annotation, now: number): AnnotationRow {
  return {
    id: a.id,
    consultationId: a.consultationId,
    target: a.target,
    paragraphKey: a.paragraphKey,
    parentId: a.parentId,
    server: a,
    input: null,
    local: null,
    syncState: "synced",
    updatedAt: now,
  };
}

/**
 * Takes up to `limit` mutations from the head of the outbox, in order, and
 * marks them sent in the same transaction (S3). A mutation whose base revision
 * depends on an earlier one in this batch ends the batch (S4). Returns [] when
 * the head is still backing off, unless `force`.
 */
export async function takeBatch(
  db: MarginDb,
  opts: {
    now: number;
    limit: number;
    force?: boolean;
    /**
     * The batch still at the service: take what follows it, and treat its
     * annotations as unacknowledged (S4), so the next batch can be ready when
     * its answer comes.
     */
    behind?: SentEntry[];
  },
): Promise<SentEntry[]> {
  return db.transaction("rw", db.outbox, db.annotations, db.meta, async () => {
    const last = opts.behind?.at(-1)?.seq;
    const head = await (last === undefined
      ? db.outbox.orderBy("seq")
      : db.outbox.where("seq").above(last)
    )
      .limit(opts.limit)
      .toArray();
    const first = head[0];
    if (!first || (!opts.force && first.nextAttemptAt > opts.now)) return [];
    const batch: SentEntry[] = [];
    /** Rows whose base revision was filled in here: the only ones written back. */
    const based: OutboxRow[] = [];
    const touched = new Set<string>(
      (opts.behind ?? []).flatMap((e) => (e.kind === "annotation" ? [e.annotationId] : [])),
    );
    for (const row of head) {
      if (row.seq === undefined) continue;
      const m = row.mutation;
      let mutation: Mutation;
      if (m.type === "annotation.edit" || m.type === "annotation.withdraw") {
        let base = m.baseRevision;
        if (base === null) {
          if (touched.has(row.annotationId)) break;
          base = (await db.annotations.get(row.annotationId))?.server?.revision ?? null;
          if (base === null) break;
        }
        mutation = { ...m, baseRevision: base } as Mutation;
        if (m.baseRevision === null)
          based.push({ ...row, mutation: mutation as OutboxRow["mutation"] });
      } else {
        mutation = m;
      }
      if (row.kind === "annotation") touched.add(row.annotationId);
      batch.push({
        seq: row.seq,
        key: row.key,
        annotationId: row.annotationId,
        kind: row.kind,
        mutation,
      });
    }
    // The rows are marked sent by moving one number, not by rewriting each: in Chromium a
    // write per row cost ~40 ms per batch of 500, a sixth of a drain.
    const through = batch.at(-1)?.seq;
    if (based.length) await db.outbox.bulkPut(based);
    if (through !== undefined && through > (await sentThrough(db)))
      await db.meta.put({ name: "sentThrough", value: through });
    return batch;
  });
}

/** After a retryable failure: count the attempt and hold the batch until `nextAttemptAt`. */
export async function deferBatch(
  db: MarginDb,
  batch: SentEntry[],
  nextAttemptAt: number,
): Promise<void> {
  await db.transaction("rw", db.outbox, async () => {
    const rows = await db.outbox.bulkGet(batch.map((e) => e.seq));
    await db.outbox.bulkPut(
      rows.flatMap((row) => (row ? [{ ...row, attempts: row.attempts + 1, nextAttemptAt }] : [])),
    );
  });
}

function keepServer(row: AnnotationRow, a: Annotation): Annotation {
  return row.server && row.server.revision > a.revision ? row.server : a;
}

function overlayFor(row: AnnotationRow): LocalOverlay | null {
  if (row.local) return row.local;
  if (row.input) {
    const { text, suggestion, stance } = row.input;
    return { text, suggestion, stance, status: "visible" };
  }
  return row.server ? overlayOf(row.server) : null;
}

/** A push answer for one sent mutation. */
export interface Answered {
  entry: SentEntry;
  result: PushResult;
}

/**
 * Applies push results (S5), in order, in one transaction: applied stores the
 * server copy; conflict keeps both versions (S6); rejected keeps the text with
 * the reason (S8). An outbox entry is deleted only here, when the service has
 * answered for its key. The rows involved are read once and written back
 * once: a batch of 200 costs a handful of IndexedDB requests, not a dozen
 * per mutation. Many new comments stored as sent, with nothing else queued for them, are
 * acknowledged by one record instead of a write per row (acknowledged.ts).
 */
export async function applyPushResults(
  db: MarginDb,
  answered: Answered[],
  now: number,
): Promise<void> {
  if (answered.length === 0) return;
  await db.transaction("rw", db.outbox, db.annotations, db.acknowledged, async () => {
    const queued = new Map<number, Queued>();
    /** The queued rows of each annotation, by sequence number. */
    const queuedOf = new Map<string, Map<number, Queued>>();
    for (const r of await queuedFor(
      db,
      [...new Set(answered.map((a) => a.entry.annotationId))],
      answered.map((a) => a.entry),
    )) {
      queued.set(r.seq, r);
      const mine = queuedOf.get(r.annotationId) ?? new Map<number, Queued>();
      queuedOf.set(r.annotationId, mine.set(r.seq, r));
    }
    const alone = ({ entry }: Answered) => {
      const mine = queuedOf.get(entry.annotationId);
      return mine?.size === 1 && mine.get(entry.seq)?.key === entry.key;
    };
    const asSent = answered.filter((a) => storedAsSent(a) && alone(a));
    const bulk = asSent.length >= ACKNOWLEDGE_IN_BULK_FROM ? asSent : [];
    if (bulk.length > 0) await acknowledgeInBulk(db, bulk, now);
    const inRecords = new Set(bulk);
    const rest = answered.filter((a) => !inRecords.has(a));
    const ids = [...new Set(rest.map((a) => a.entry.annotationId))];
    const rows = new Map<string, AnnotationRow>();
    for (const row of await rowsWithKeys(db.annotations, ":id", ids, (r) => r.id))
      rows.set(row.id, row);
    const gone = bulk.map((a) => a.entry.seq);
    const changed = new Set<string>();
    const put = (row: AnnotationRow) => {
      rows.set(row.id, row);
      changed.add(row.id);
    };
    const drop = (seq: number) => {
      const r = queued.get(seq);
      if (!r) return;
      queued.delete(seq);
      queuedOf.get(r.annotationId)?.delete(seq);
      gone.push(seq);
    };
    const queuedNow = (id: string) => [...(queuedOf.get(id)?.values() ?? [])];
    const dropAnnotationMutations = (id: string) => {
      for (const r of queuedNow(id)) if (r.kind === "annotation") drop(r.seq);
    };
    const settleRow = (id: string) => {
      const row = rows.get(id);
      if (row) put(settled(row, queuedNow(id), now));
    };

    for (const { entry, result } of rest) {
      if (queued.get(entry.seq)?.key === entry.key) drop(entry.seq);
      const row = rows.get(entry.annotationId);
      if (result.status === "applied") {
        const a = result.annotation;
        put(row ? { ...row, server: keepServer(row, a), updatedAt: now } : rowFromServer(a, now));
      } else if (!row) {
        if (result.status === "conflict") put(rowFromServer(result.server, now));
        continue;
      } else if (entry.kind === "endorsement") {
        const error =
          result.status === "conflict"
            ? { code: "conflict", message: result.reason }
            : result.error;
        const server = result.status === "conflict" ? keepServer(row, result.server) : row.server;
        const { myEndorsement: _m, ...rest } = row;
        put({ ...rest, server, endorsementError: error, updatedAt: now });
      } else if (result.status === "conflict") {
        dropAnnotationMutations(row.id);
        const mine = overlayFor(row);
        // The service already says what the person said (both devices withdrew it, say):
        // nothing to choose between, and "keep mine" would only be refused again.
        put(
          sameContent(result.server, mine)
            ? { ...row, server: keepServer(row, result.server), local: null, updatedAt: now }
            : {
                ...row,
                local: mine,
                conflict: { server: result.server, reason: result.reason },
                updatedAt: now,
              },
        );
      } else {
        dropAnnotationMutations(row.id);
        put({
          ...row,
          local: overlayFor(row),
          rejection: { code: result.error.code, message: result.error.message },
          updatedAt: now,
        });
      }
      settleRow(entry.annotationId);
    }
    await deleteSeqs(db, gone);
    await db.annotations.bulkPut([...changed].map((id) => rows.get(id) as AnnotationRow));
  });
}

/**
 * The rows of `table` whose `index` holds one of `keys`. A batch's keys are mostly the person's
 * own new comments, whose ids (UUIDv7) sort together: when few other rows fall between the
 * lowest and the highest key, one read of that range beats anyOf/bulkGet, which in Chromium
 * cost a request of about 0.1 ms per key.
 */
async function rowsWithKeys<T, K>(
  table: Table<T, K>,
  index: string,
  keys: string[],
  keyOf: (row: T) => string,
): Promise<T[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort();
  const range = table.where(index).between(sorted[0], sorted.at(-1), true, true);
  if (keys.length < 8 || (await range.count()) > 2 * keys.length)
    return table.where(index).anyOf(keys).toArray();
  const wanted = new Set(keys);
  return (await range.toArray()).filter((r) => wanted.has(keyOf(r)));
}

/** An outbox row as applying answers needs it. */
type Queued = Pick<OutboxRow, "key" | "annotationId" | "kind"> & { seq: number };

/**
 * The outbox rows of these annotations. The batch's own rows are known from the batch (a
 * sent row is never rewritten with another key, nor deleted before its answer), so only
 * whether they are still there is read, as primary keys; other rows in the same key range
 * are read whole. In Chromium, reading the batch's rows whole again cost ~0.3 s of the
 * browser's and ~0.3 s of the page's CPU in a drain of 10,000 comments.
 */
async function queuedFor(db: MarginDb, ids: string[], batch: SentEntry[]): Promise<Queued[]> {
  if (ids.length === 0) return [];
  const sorted = [...ids].sort();
  const range = db.outbox.where("annotationId").between(sorted[0], sorted.at(-1), true, true);
  const seqs = await range.primaryKeys();
  const sent = new Map(batch.map((e) => [e.seq, e]));
  const others = seqs.filter((s) => !sent.has(s));
  // Ids that do not sort together (replies, endorsements of old comments) leave many other
  // rows in the range: then the rows of these annotations are read by key instead.
  if (others.length > ids.length)
    return (await db.outbox.where("annotationId").anyOf(ids).toArray()).flatMap((r) =>
      r.seq === undefined ? [] : [{ ...r, seq: r.seq }],
    );
  const wanted = new Set(ids);
  const out: Queued[] = [];
  for (const s of seqs) {
    const e = sent.get(s);
    if (e) out.push({ seq: e.seq, key: e.key, annotationId: e.annotationId, kind: e.kind });
  }
  for (const r of others.length ? await db.outbox.bulkGet(others) : [])
    if (r?.seq !== undefined && wanted.has(r.annotationId)) out.push({ ...r, seq: r.seq });
  return out;
}

/**
 * Deletes these outbox rows. A batch's rows are usually every row between its first and last
 * sequence number, and then one range delete does it: in Chromium a delete per row cost about
 * 0.1 ms each, a fifth of applying a batch's answers.
 */
async function deleteSeqs(db: MarginDb, seqs: number[]): Promise<void> {
  if (seqs.length === 0) return;
  const lo = Math.min(...seqs);
  const hi = Math.max(...seqs);
  const range = db.outbox.where("seq").between(lo, hi, true, true);
  // The rows named all exist, so when the range holds as many rows it holds exactly them.
  if (seqs.length > 1 && (await range.count()) === seqs.length) await range.delete();
  else await db.outbox.bulkDelete(seqs);
}

/** A new comment the service stored exactly as it was sent (push-answer.ts in @margin/model). */
function storedAsSent({ entry, result }: Answered): boolean {
  if (result.status !== "applied" || entry.mutation.type !== "annotation.create") return false;
  const a = result.annotation;
  return sameJson(a, annotationAsSent(entry.mutation.annotation, a.author, a.created));
}

/** One record per author and moment (one, for an answer to one push). */
async function acknowledgeInBulk(db: MarginDb, answered: Answered[], now: number): Promise<void> {
  const records = new Map<string, AcknowledgedRow>();
  for (const { entry, result } of answered) {
    if (result.status !== "applied") continue;
    const { author, created: at } = result.annotation;
    const group = `${at} ${JSON.stringify(author)}`;
    const ack = records.get(group) ?? { ids: [], author, at, now };
    ack.ids.push(entry.annotationId);
    records.set(group, ack);
  }
  await db.acknowledged.bulkAdd([...records.values()]);
}

/**
 * Writes out the rows the records changed and drops the records, a record per transaction; the
 * rows read the same before and after. Returns how many rows it wrote.
 */
export async function writeAcknowledged(
  db: MarginDb,
  stopped: () => boolean = () => false,
): Promise<number> {
  let written = 0;
  while (!stopped()) {
    const n = await db.transaction("rw", db.annotations, db.acknowledged, async () => {
      const ack = await db.acknowledged.orderBy("seq").first();
      if (ack?.seq === undefined) return -1;
      const rows = (await rowsWithKeys(db.annotations, ":id", ack.ids, (r) => r.id)).filter(
        changedByRecord,
      );
      await db.annotations.bulkPut(rows);
      await db.acknowledged.delete(ack.seq);
      return rows.length;
    });
    if (n < 0) break;
    written += n;
  }
  return written;
}

/** applyPushResults for one mutation. */
export function applyPushResult(
  db: MarginDb,
  entry: SentEntry,
  result: PushResult,
  now: number,
): Promise<void> {
  return applyPushResults(db, [{ entry, result }], now);
}

/**
 * Whether the service's copy already says what the local version says. A withdrawn comment says
 * nothing more: the service keeps no text for it, so its text is not compared.
 */
function sameContent(a: Annotation, l: LocalOverlay | null): boolean {
  if (!l) return false;
  if (l.status === "withdrawn") return a.status === "withdrawn";
  return (
    a.status === "visible" &&
    a.text === l.text &&
    a.suggestion === l.suggestion &&
    a.stance === l.stance
  );
}

export interface PulledPage {
  annotations: Annotation[];
  cursor: number;
  responses?: ResponseRow[] | undefined;
}

/**
 * Merges one pulled page and advances the scope's cursor in the same
 * transaction (S10). A server change never silently replaces a pending local
 * edit: if the server moved past the edit's base, the item becomes a conflict
 * holding both versions (S6).
 *
 * The page's rows and their queued mutations are read at once and only rows that change are
 * written back. Merged one request at a time, with every row rewritten, pulling 10,000
 * comments took 8.1 s into an empty store and 29 s again right after pushing them (Chromium,
 * IndexedDB on disk): the pull after a drain brings back the person's own comments, unchanged.
 */
export async function mergePulled(
  db: MarginDb,
  scope: string,
  page: PulledPage,
  now: number,
): Promise<void> {
  await db.transaction(
    "rw",
    [db.annotations, db.outbox, db.cursors, db.responses, db.meta],
    async () => {
      const ids = [...new Set(page.annotations.map((a) => a.id))];
      const rows = new Map<string, AnnotationRow>();
      for (const row of await rowsWithKeys(db.annotations, ":id", ids, (r) => r.id))
        rows.set(row.id, row);
      const queuedOf = new Map<string, Queued[]>();
      for (const q of await queuedFor(db, ids, [])) {
        const mine = queuedOf.get(q.annotationId);
        if (mine) mine.push(q);
        else queuedOf.set(q.annotationId, [q]);
      }
      const mark = await sentThrough(db);
      const gone: number[] = [];
      const changed = new Set<string>();
      const put = (row: AnnotationRow) => {
        rows.set(row.id, row);
        changed.add(row.id);
      };

      for (const a of page.annotations) {
        const row = rows.get(a.id);
        if (!row) {
          put(rowFromServer(a, now));
          continue;
        }
        if (row.server && a.revision < row.server.revision) continue;
        if (row.conflict) {
          const server = a.revision >= row.conflict.server.revision ? a : row.conflict.server;
          put({ ...row, conflict: { ...row.conflict, server }, updatedAt: now });
          continue;
        }
        const queued = queuedOf.get(a.id) ?? [];
        const pending = queued.filter((q) => q.kind === "annotation");
        let next: AnnotationRow;
        if (pending.length === 0 || row.server === null || pending.some((q) => q.seq <= mark)) {
          // Nothing local to protect, our own create landed, or a sent mutation will be answered by push.
          next = { ...row, server: a };
        } else if (a.revision > row.server.revision) {
          gone.push(...pending.map((q) => q.seq));
          queuedOf.set(
            a.id,
            queued.filter((q) => q.kind !== "annotation"),
          );
          next = sameContent(a, row.local)
            ? { ...row, server: a, local: null }
            : {
                ...row,
                local: overlayFor(row),
                conflict: {
                  server: a,
                  reason: a.status === "visible" ? "changed_on_server" : a.status,
                },
              };
        } else {
          next = { ...row, server: a };
        }
        next = settled(next, queuedOf.get(a.id) ?? [], now);
        if (!sameRow(row, next)) put(next);
      }
      await deleteSeqs(db, gone);
      if (changed.size)
        await db.annotations.bulkPut([...changed].map((id) => rows.get(id) as AnnotationRow));
      if (page.responses?.length) await db.responses.bulkPut(page.responses);
      const cursor: CursorRow = { scope, cursor: page.cursor, updatedAt: now };
      await db.cursors.put(cursor);
    },
  );
}

/** Whether writing `next` over `row` would change anything but the time of the write. */
function sameRow(row: AnnotationRow, next: AnnotationRow): boolean {
  return sameJson({ ...row, updatedAt: 0 }, { ...next, updatedAt: 0 });
}

export async function cursorOf(db: MarginDb, scope: string): Promise<number> {
  return (await db.cursors.get(scope))?.cursor ?? 0;
}
