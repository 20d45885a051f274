import { createRoute, z } from "@hono/zod-openapi";
import {
  canonicalUrl,
  MAX_PUSH_MUTATIONS,
  type Mutation,
  type MutationInput,
  MutationSchema,
  minimalResult,
  PullQuerySchema,
  PullResponseSchema,
  PushAnswerSchema,
  type PushResult,
} from "@margin/model";
import { type Kysely, sql } from "kysely";
import { registry, toJSONSchema } from "zod";
import type { Database } from "../../db/schema.ts";
import { type AuthUser, requireUser, router } from "../../http/context.ts";
import { issuesToDetails } from "../../http/errors.ts";
import { bearer, errors, json, jsonBody } from "../../http/openapi.ts";
import { createAnnotationsBulk } from "../annotations/annotations.bulk-create.ts";
import {
  type CommandResult,
  createAnnotation,
  editAnnotation,
  setEndorsement,
  withdrawAnnotation,
} from "../annotations/annotations.commands.ts";
import { selectAnnotations, toAnnotation } from "../annotations/annotations.repository.ts";
import { ensureVisibleConsultation } from "../consultations/consultations.routes.ts";
import { selectResponses, toResponses } from "../responses/responses.repository.ts";
import { numberChanges, scopeOf, type Tx } from "./change-log.ts";
import { recallResults, rememberResults } from "./remembered-results.ts";

// Each mutation is validated on its own: one malformed entry (say, from an
// older client) is rejected alone instead of blocking the person's whole outbox.
const PushEnvelopeSchema = z.strictObject({
  mutations: z
    .array(z.unknown())
    .min(1)
    .max(MAX_PUSH_MUTATIONS)
    .describe(`Up to ${MAX_PUSH_MUTATIONS} Mutation objects, applied in order`),
});

function runMutation(tx: Tx, user: AuthUser, m: Mutation, now: Date): Promise<CommandResult> {
  switch (m.type) {
    case "annotation.create":
      return createAnnotation(tx, user, m.annotation, now);
    case "annotation.edit":
      return editAnnotation(tx, user, m.id, m.baseRevision, m.patch, now);
    case "annotation.withdraw":
      return withdrawAnnotation(tx, user, m.id, m.baseRevision, now);
    case "endorsement.set":
      return setEndorsement(tx, user, m.annotationId, m.kind, now);
  }
}

function toResult(key: string, r: CommandResult, viewer: AuthUser): PushResult {
  if (r.status === "applied")
    return { key, status: "applied", annotation: toAnnotation(r.row, viewer) };
  if (r.status === "conflict")
    return { key, status: "conflict", reason: r.reason, server: toAnnotation(r.row, viewer) };
  return { key, status: "rejected", error: { code: r.error.code, message: r.error.message } };
}

type NewCommentMutation = Extract<Mutation, { type: "annotation.create" }>;

/**
 * New top-level comments stored by one statement, each with its result. A new comment's own
 * id remembers it (sent again, it is answered as stored: createAnnotationsBulk), so only a
 * refusal needs remembering.
 */
async function storeCreates(
  db: Kysely<Database>,
  user: AuthUser,
  creates: NewCommentMutation[],
  at: Date,
): Promise<{ result: PushResult; remember: boolean }[]> {
  const stored = await createAnnotationsBulk(
    db,
    user,
    creates.map((m) => m.annotation),
    at,
  );
  return creates.map((m, j) => {
    const r = stored[j] as CommandResult;
    return { result: toResult(m.key, r, user), remember: r.status !== "applied" };
  });
}

/**
 * A push with anything but new top-level comments in it: in one transaction, one push per
 * person at a time, in order.
 */
function pushInOrder(
  db: Kysely<Database>,
  user: AuthUser,
  mutations: unknown[],
  parsed: ReturnType<typeof MutationSchema.safeParse>[],
  at: Date,
): Promise<PushResult[]> {
  const keys = parsed.flatMap((p) => (p.success ? [p.data.key] : []));
  return db.transaction().execute(async (tx) => {
    // One push per person at a time, so a retry racing its original waits
    // and then finds every key already answered.
    await sql`select pg_advisory_xact_lock(hashtext(${user.id}))`.execute(tx);
    const done = await recallResults(tx, user, keys);
    const fresh: { key: string; result: PushResult }[] = [];
    const out: PushResult[] = [];
    // Consecutive new top-level comments (what an offline outbox is mostly
    // made of) are stored together; everything else runs one by one, in order.
    // By key, in the order given: a key seen again in the same run ends the run first.
    let run = new Map<string, { slot: number; m: NewCommentMutation }>();
    /** `selfEvident`: a replay gets the same result without remembering it. */
    const settle = (slot: number, key: string, result: PushResult, selfEvident = false) => {
      done.set(key, result);
      if (!selfEvident) fresh.push({ key, result });
      out[slot] = result;
    };
    const flush = async () => {
      if (run.size === 0) return;
      const batch = [...run.values()];
      run = new Map();
      const stored = await storeCreates(
        tx,
        user,
        batch.map((b) => b.m),
        at,
      );
      for (const [j, b] of batch.entries()) {
        const { result, remember } = stored[j] as (typeof stored)[number];
        settle(b.slot, b.m.key, result, !remember);
      }
    };
    for (const [i, p] of parsed.entries()) {
      if (!p.success) {
        const raw = mutations[i] as { key?: unknown } | null;
        const key = typeof raw?.key === "string" ? raw.key : `#${i}`;
        const first = issuesToDetails(`mutations.${i}`, p.error.issues)[0];
        out[i] = {
          key,
          status: "rejected",
          error: {
            code: "validation_failed",
            message: first ? `${first.path}: ${first.message}` : "not a valid mutation",
          },
        };
        continue;
      }
      const m = p.data;
      if (run.has(m.key)) await flush();
      const seen = done.get(m.key);
      if (seen) {
        out[i] = seen;
        continue;
      }
      if (m.type === "annotation.create" && !m.annotation.parentId) {
        run.set(m.key, { slot: i, m });
        continue;
      }
      await flush();
      settle(i, m.key, toResult(m.key, await runMutation(tx, user, m, at), user));
    }
    await flush();
    await rememberResults(tx, user, fresh);
    return out;
  });
}

/**
 * A push made only of new top-level comments with distinct keys, as a drained outbox mostly
 * is, needs no transaction and no lock: each comment's id makes storing it idempotent (an id
 * the same person already stored is answered applied, see storeNewComments), all of them are
 * stored by one statement, and only refusals are remembered, after. A retry racing its
 * original works its refusals out again instead of waiting for the original's: the same
 * answers, unless the consultation opened or closed in between. Sparing BEGIN, the lock and
 * COMMIT took ~5 ms off a push of 500 (~45 ms).
 */
async function pushNewComments(
  db: Kysely<Database>,
  user: AuthUser,
  mutations: NewCommentMutation[],
  at: Date,
): Promise<PushResult[]> {
  const done = await recallResults(
    db,
    user,
    mutations.map((m) => m.key),
  );
  const todo = mutations.filter((m) => !done.has(m.key));
  const stored = await storeCreates(db, user, todo, at);
  const refused: { key: string; result: PushResult }[] = [];
  for (const [j, m] of todo.entries()) {
    const { result, remember } = stored[j] as (typeof stored)[number];
    done.set(m.key, result);
    if (remember) refused.push({ key: m.key, result });
  }
  await rememberResults(db, user, refused);
  return mutations.map((m) => done.get(m.key) as PushResult);
}

/** The mutations when every one is a new top-level comment and no key repeats, else null. */
function onlyNewComments(
  parsed: ReturnType<typeof MutationSchema.safeParse>[],
): NewCommentMutation[] | null {
  const out: NewCommentMutation[] = [];
  const keys = new Set<string>();
  for (const p of parsed) {
    if (!p.success || p.data.type !== "annotation.create" || p.data.annotation.parentId)
      return null;
    if (keys.has(p.data.key)) return null;
    keys.add(p.data.key);
    out.push(p.data);
  }
  return out;
}

export function syncRoutes() {
  const app = router();
  // Documented as a plain JSON Schema component: registering the zod schema
  // itself would depend on which of zod-openapi and @margin/model loaded first.
  app.openAPIRegistry.registerComponent(
    "schemas",
    "Mutation",
    toJSONSchema(MutationSchema, {
      io: "input",
      unrepresentable: "any",
      metadata: registry(),
    }) as never,
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/sync/push",
      tags: ["sync"],
      summary:
        "Apply a batch of offline mutations; one result per mutation, and a replayed key gets the same result",
      description:
        'With `Prefer: return=minimal`, a new comment stored exactly as sent is answered `{ key, status: "applied" }` without its annotation, which the client works out from what it sent, the answer\'s `author` and `at` (annotationAsSent in @margin/model); any other result is given whole.',
      security: bearer,
      request: {
        ...jsonBody(PushEnvelopeSchema),
        headers: z.object({ prefer: z.string().optional() }),
      },
      responses: {
        200: json(PushAnswerSchema, "One result per mutation, in order"),
        400: errors[400],
        401: errors[401],
        413: errors[413],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get("deps");
      const { mutations } = c.req.valid("json");
      const at = now();

      // Validated before any database work: a transaction, where there is one, holds its
      // connection only for the database's work.
      const parsed = mutations.map((m) => MutationSchema.safeParse(m));
      const creates = onlyNewComments(parsed);
      const results = creates
        ? await pushNewComments(db, user, creates, at)
        : await pushInOrder(db, user, mutations, parsed, at);
      if (!/\breturn=minimal\b/.test(c.req.header("prefer") ?? "")) return c.json({ results }, 200);
      const author = { id: user.id, displayName: user.display_name, role: user.role };
      const atIso = at.toISOString();
      c.header("Preference-Applied", "return=minimal");
      c.header("Vary", "Prefer");
      return c.json(
        {
          results: results.map((r, i) =>
            minimalResult(mutations[i] as MutationInput, r, author, atIso),
          ),
          author,
          at: atIso,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/sync/pull",
      tags: ["sync"],
      summary: "Everything that changed in a consultation (or on a page) after a cursor",
      request: { query: PullQuerySchema },
      responses: {
        200: json(
          PullResponseSchema,
          "Current state of each changed annotation, and the next cursor",
        ),
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { db } = c.get("deps");
      if (q.consultation) await ensureVisibleConsultation(c, q.consultation);
      const scope = q.consultation
        ? scopeOf(q.consultation, "")
        : scopeOf(null, canonicalUrl(q.source as string));
      // Changes get their numbers here, once their writers are certainly done (S5).
      await numberChanges(db, scope);
      const changes = await db
        .selectFrom("changes")
        .select(["seq", "entity", "entity_id"])
        .where("scope", "=", scope)
        .where("seq", ">", q.since)
        .orderBy("seq")
        .limit(q.limit)
        .$narrowType<{ seq: number }>()
        .execute();
      const idsOf = (entity: string) => [
        ...new Set(changes.filter((ch) => ch.entity === entity).map((ch) => ch.entity_id)),
      ];
      const annotationIds = idsOf("annotation");
      const responseIds = idsOf("response");
      const rows = annotationIds.length
        ? await selectAnnotations(db).where("a.id", "in", annotationIds).execute()
        : [];
      const responseRows = responseIds.length
        ? await selectResponses(db)
            .where("r.id", "in", responseIds)
            .where("r.status", "=", "published")
            .execute()
        : [];
      const viewer = c.get("user");
      const last = changes.at(-1);
      return c.json(
        {
          annotations: rows.map((r) => toAnnotation(r, viewer)),
          responses: await toResponses(db, responseRows),
          cursor: last ? last.seq : q.since,
          hasMore: changes.length === q.limit,
        },
        200,
      );
    },
  );

  return app;
}
