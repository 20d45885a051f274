import {
  type Annotation,
  type AnnotationCreate,
  annotationAsSent,
  type PublicPerson,
} from "@margin/model";
import type Dexie from "dexie";
import type { DBCoreKeyRange, DBCoreRangeType, DBCoreTransaction } from "dexie";
import type { AnnotationRow } from "./db.ts";
import { settled } from "./writes.ts";

/*
 * New comments acknowledged in bulk. When a push of many new comments comes back "stored as
 * sent", the service's copy of each is annotationAsSent(what was sent, author, moment): one
 * record of the ids, the author and the moment says everything the answers say. Writing each
 * comment's row again was one IndexedDB put per comment, ~0.25-0.5 ms of Chromium's browser
 * process each on disk and most of a 10,000-comment drain (8.2-10.3 s; 4.0 s without it).
 * Every read of the annotations in this database applies the records (the middleware below),
 * so no reader sees a row between its two states; the rows are written out after the drain
 * (writeAcknowledged in merge.ts) and the records then dropped.
 */

export interface AcknowledgedRow {
  seq?: number;
  /** The new comments the service stored exactly as sent, by this author at this moment. */
  ids: string[];
  author: PublicPerson;
  at: string;
  /** Local wall-clock ms of the acknowledgement: the rows' updatedAt. */
  now: number;
}

/** Fewer new comments than this in an answer are written to their rows at once, as before. */
export const ACKNOWLEDGE_IN_BULK_FROM = 50;

/** A row still waiting for its create's answer, as stored: the only kind a record changes. */
export const awaitsCreate = (
  row: AnnotationRow,
): row is AnnotationRow & { input: AnnotationCreate } =>
  row.server === null && row.input !== null && row.syncState === "pending";

/** Set (not enumerable, never stored) on a row a record changed as it was read. */
const FROM_RECORD = Symbol("acknowledged in bulk");

export const changedByRecord = (row: AnnotationRow): boolean =>
  (row as unknown as Record<symbol, unknown>)[FROM_RECORD] === true;

/**
 * The row as applying its answer would have written it (applyPushResults for a create stored as
 * sent with nothing else queued: the service's copy, nothing local left), if a record holds it.
 */
function applyRecords(row: AnnotationRow, byId: ReadonlyMap<string, AcknowledgedRow>) {
  const ack = byId.get(row.id);
  if (!ack || !awaitsCreate(row)) return row;
  const server: Annotation = annotationAsSent(row.input, ack.author, ack.at);
  return Object.defineProperty(settled({ ...row, server }, [], ack.now), FROM_RECORD, {
    value: true,
  });
}

const EVERYTHING = { type: 3 as DBCoreRangeType, lower: undefined, upper: undefined };

/**
 * Installed on a database before it opens: every transaction over the annotations also holds the
 * records, and every row read from the annotations comes with its record applied. The records
 * are read once per transaction, and only when a row read still awaits its create's answer.
 */
export function readAcknowledged(db: Dexie): void {
  db.use({
    stack: "dbcore",
    name: "margin-acknowledged",
    create: (down) => {
      const records = new WeakMap<object, Promise<Map<string, AcknowledgedRow>>>();
      const recordsIn = (trans: DBCoreTransaction) => {
        let read = records.get(trans);
        if (!read) {
          const table = down.table("acknowledged");
          read = table
            .query({
              trans,
              values: true,
              query: { index: table.schema.primaryKey, range: EVERYTHING as DBCoreKeyRange },
            })
            .then(({ result }) => {
              const byId = new Map<string, AcknowledgedRow>();
              for (const ack of result as AcknowledgedRow[])
                for (const id of ack.ids) byId.set(id, ack);
              return byId;
            });
          records.set(trans, read);
        }
        return read;
      };
      const withRecords = async (trans: DBCoreTransaction, rows: unknown[]) =>
        rows.some((r) => r && awaitsCreate(r as AnnotationRow))
          ? recordsIn(trans).then((byId) =>
              rows.map((r) => (r ? applyRecords(r as AnnotationRow, byId) : r)),
            )
          : rows;
      return {
        ...down,
        transaction: (stores, mode, options) =>
          down.transaction(
            stores.includes("annotations") && !stores.includes("acknowledged")
              ? [...stores, "acknowledged"]
              : stores,
            mode,
            options,
          ),
        table(name) {
          const table = down.table(name);
          if (name === "acknowledged")
            return {
              ...table,
              mutate: (req) => {
                records.delete(req.trans);
                return table.mutate(req);
              },
            };
          if (name !== "annotations") return table;
          return {
            ...table,
            get: async (req) => (await withRecords(req.trans, [await table.get(req)]))[0],
            getMany: async (req) => withRecords(req.trans, await table.getMany(req)),
            query: async (req) => {
              const res = await table.query(req);
              return req.values
                ? { ...res, result: await withRecords(req.trans, res.result) }
                : res;
            },
            openCursor: async (req) => {
              // A cursor's value is read synchronously: the records are read before it opens.
              const byId = req.values === false ? null : await recordsIn(req.trans);
              const cursor = await table.openCursor(req);
              if (!cursor || !byId || byId.size === 0) return cursor;
              return Object.create(cursor, {
                value: { get: () => applyRecords(cursor.value as AnnotationRow, byId) },
              });
            },
          };
        },
      };
    },
  });
}
