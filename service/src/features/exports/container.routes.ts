import { createRoute, z } from "@hono/zod-openapi";
import { AnnotationInputSchema, IdSchema } from "@margin/model";
import type { MiddlewareHandler } from "hono";
import { type AppEnv, type Ctx, requireUser, router } from "../../http/context.ts";
import { AppError, notFound, validationError } from "../../http/errors.ts";
import { revisionFrom } from "../../http/if-match.ts";
import { bearer, errors } from "../../http/openapi.ts";
import { uuidv7 } from "../../http/uuidv7.ts";
import {
  createAnnotation,
  editAnnotation,
  withdrawAnnotation,
} from "../annotations/annotations.commands.ts";
import { appliedRow } from "../annotations/annotations.routes.ts";
import {
  ensureVisibleConsultation,
  IdParams,
  visibleConsultation,
} from "../consultations/consultations.routes.ts";
import {
  changeCounter,
  countExportable,
  type ExportAnnotation,
  exportablePage,
  findExportable,
} from "./export.repository.ts";
import { type ConsultationIris, consultationIris } from "./iris.ts";
import { ANNO_CONTEXT, ANNO_MEDIA_TYPE, toW3cAnnotation } from "./w3c-annotation.ts";
import { w3cConformance } from "./w3c-conformance.ts";
import { fromW3cAnnotation } from "./w3c-input.ts";

/**
 * The W3C Web Annotation Protocol container of a consultation
 * (https://www.w3.org/TR/annotation-protocol/): an LDP Basic Container whose
 * members are the consultation's public comments. Writes go through the same
 * annotation commands as the REST API, so every rule (gate, rate limits,
 * authorship, revisions) is the same.
 */
const PAGE_SIZE = 100;
const LDP = "http://www.w3.org/ns/ldp#";
const PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs";
const PREFER_MINIMAL = `${LDP}PreferMinimalContainer`;
const CONTAINER_ALLOW = "GET, HEAD, OPTIONS, POST";
const ITEM_ALLOW = "GET, HEAD, OPTIONS, PUT, DELETE";

const CONTAINER_LINKS = [
  `<${LDP}BasicContainer>; rel="type"`,
  `<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"`,
].join(", ");
const ITEM_LINKS = `<${LDP}Resource>; rel="type", <http://www.w3.org/ns/oa#Annotation>; rel="type"`;

const ContainerQuery = z.strictObject({
  page: z.coerce.number().int().min(0).max(1_000_000).optional(),
  iris: z.enum(["0", "1"]).optional(),
});
const ItemParams = z.object({ id: IdSchema, annotationId: IdSchema });
const W3cBody = {
  body: {
    content: { "application/ld+json": { schema: z.looseObject({}) } },
    required: true,
    description: "A W3C Web Annotation (JSON-LD)",
  },
};
const ldJson = (description: string) => ({
  description,
  content: { [ANNO_MEDIA_TYPE]: { schema: z.looseObject({}) } },
});

/** What a `Prefer: return=representation;include="…"` header asks for. */
function preference(c: Ctx): "iris" | "descriptions" | "minimal" {
  const prefer = c.req.header("prefer") ?? "";
  if (!/return=representation/.test(prefer)) return "descriptions";
  if (prefer.includes(PREFER_MINIMAL)) return "minimal";
  if (prefer.includes(PREFER_IRIS)) return "iris";
  return "descriptions";
}

function protocolHeaders(c: Ctx, kind: "container" | "item") {
  c.header("Content-Type", ANNO_MEDIA_TYPE);
  c.header("Link", kind === "container" ? CONTAINER_LINKS : ITEM_LINKS);
  c.header("Allow", kind === "container" ? CONTAINER_ALLOW : ITEM_ALLOW);
  c.header("Vary", kind === "container" ? "Accept, Prefer" : "Accept");
  if (kind === "container") c.header("Accept-Post", ANNO_MEDIA_TYPE);
}

/** Answers 304 when the client already holds this version. */
function notModified(c: Ctx, etag: string): Response | null {
  c.header("ETag", etag);
  const held = c.req.header("if-none-match");
  if (held?.split(",").some((t) => t.trim() === etag || t.trim() === "*")) return c.body(null, 304);
  return null;
}

function annotationIdIn(iris: ConsultationIris) {
  const prefix = `${iris.container}/`;
  return (iri: string) => {
    if (!iri.startsWith(prefix)) return null;
    const id = iri.slice(prefix.length);
    return IdSchema.safeParse(id).success ? id : null;
  };
}

/** A W3C annotation from a client, checked against the suite's MUSTs, then read into Margin's fields. */
function readW3c(body: Record<string, unknown>, iris: ConsultationIris) {
  // The server names what it stores; a client may POST without an id.
  const named = { ...body, id: typeof body.id === "string" ? body.id : iris.annotation("new") };
  const violations = w3cConformance().check(named);
  if (violations.length)
    throw new AppError(
      "validation_failed",
      `not a conforming W3C Web Annotation: ${violations[0]?.message}`,
      violations.map((v) => ({ path: `body (${v.assertion})`, message: v.message })),
    );
  const read = fromW3cAnnotation(body, annotationIdIn(iris));
  if (!read.ok)
    throw new AppError(
      "validation_failed",
      `${read.issues[0]?.path}: ${read.issues[0]?.message}`,
      read.issues,
    );
  return read.fields;
}

/** The client's id when it is already one of ours (a retried POST), else a fresh one. */
function idToStore(body: Record<string, unknown>, iris: ConsultationIris): string {
  const own = typeof body.id === "string" ? annotationIdIn(iris)(body.id) : null;
  const urn = typeof body.id === "string" ? /^urn:uuid:(.+)$/i.exec(body.id)?.[1] : undefined;
  return own ?? urn ?? uuidv7();
}

async function itemOrThrow(c: Ctx, consultationId: string, annotationId: string) {
  const row = await findExportable(c.get("deps").db, consultationId, annotationId);
  if (!row) throw notFound("the annotation");
  return row;
}

function itemResponse(c: Ctx, row: ExportAnnotation, iris: ConsultationIris, status: 200 | 201) {
  protocolHeaders(c, "item");
  c.header("ETag", `"${row.revision}"`);
  return c.body(JSON.stringify(toW3cAnnotation(row, iris)), status);
}

/**
 * OPTIONS on the container and its annotations, answered before CORS (which
 * would answer every OPTIONS as a preflight): a W3C client asks what it may do.
 * Real preflights (Access-Control-Request-Method) still go to CORS.
 */
export const protocolOptions: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "OPTIONS" || c.req.header("access-control-request-method")) return next();
  const m = /^\/v1\/consultations\/[^/]+\/annotations(\/[^/]+)?\/?$/.exec(c.req.path);
  if (!m) return next();
  protocolHeaders(c, m[1] ? "item" : "container");
  c.header("Content-Type", "");
  return c.body(null, 200);
};

export function containerRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/annotations",
      tags: ["open data"],
      summary:
        "W3C Web Annotation Protocol container: the collection, or one page of it (?page=n); Prefer selects IRIs or descriptions",
      request: { params: IdParams, query: ContainerQuery },
      responses: {
        200: ldJson("An AnnotationCollection, or an AnnotationPage with ?page"),
        304: { description: "Not modified (If-None-Match)" },
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const consultation = await visibleConsultation(c, id);
      const { db, publicUrl } = c.get("deps");
      const iris = consultationIris(publicUrl, id);
      const asked = q.page === undefined ? preference(c) : q.iris === "1" ? "iris" : "descriptions";
      protocolHeaders(c, "container");
      const version = await changeCounter(db, id);
      const same = notModified(c, `W/"${version}-${q.page ?? "c"}-${asked}"`);
      if (same) return same as never;

      const total = await countExportable(db, id);
      const lastPage = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
      const pageIri = (n: number, onlyIris: boolean) =>
        `${iris.container}?${onlyIris ? "iris=1&" : ""}page=${n}`;
      const page = async (n: number, onlyIris: boolean) => {
        const rows = await exportablePage(db, id, n * PAGE_SIZE, PAGE_SIZE);
        return {
          id: pageIri(n, onlyIris),
          type: "AnnotationPage",
          startIndex: n * PAGE_SIZE,
          ...(n < lastPage ? { next: pageIri(n + 1, onlyIris) } : {}),
          ...(n > 0 ? { prev: pageIri(n - 1, onlyIris) } : {}),
          items: rows.map((r) => (onlyIris ? iris.annotation(r.id) : toW3cAnnotation(r, iris))),
        };
      };

      if (q.page !== undefined) {
        if (q.page > lastPage) throw notFound(`page ${q.page} (the last is ${lastPage})`);
        const body = {
          "@context": ANNO_CONTEXT,
          partOf: { id: iris.container, total, type: "AnnotationCollection" },
          ...(await page(q.page, asked === "iris")),
        };
        return c.body(JSON.stringify(body), 200) as never;
      }
      if (asked !== "descriptions") c.header("Preference-Applied", "return=representation");
      const body = {
        "@context": [ANNO_CONTEXT, "http://www.w3.org/ns/ldp.jsonld"],
        id: iris.container,
        type: ["BasicContainer", "AnnotationCollection"],
        label: consultation.title,
        total,
        first: asked === "minimal" ? pageIri(0, false) : await page(0, asked === "iris"),
        last: pageIri(lastPage, asked === "iris"),
      };
      return c.body(JSON.stringify(body), 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/consultations/{id}/annotations",
      tags: ["open data"],
      summary: "W3C Web Annotation Protocol: create a comment (201 with Location)",
      security: bearer,
      request: { params: IdParams, ...W3cBody },
      responses: {
        201: ldJson("Created; Location names it"),
        200: ldJson("Already stored under this id (a retry)"),
        400: errors[400],
        401: errors[401],
        404: errors[404],
        409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid("param");
      await ensureVisibleConsultation(c, id);
      const { db, now, publicUrl } = c.get("deps");
      const iris = consultationIris(publicUrl, id);
      const body = c.req.valid("json");
      const fields = readW3c(body, iris);
      // A reply lives where its parent lives; the parent must be a public comment of this container.
      const parent = fields.parentId ? await itemOrThrow(c, id, fields.parentId) : null;
      const parsed = AnnotationInputSchema.safeParse({
        id: idToStore(body, iris),
        consultationId: id,
        target: parent ? { source: parent.source, selector: parent.selectors } : fields.target,
        parentId: fields.parentId,
        motivation: fields.motivation,
        text: fields.text,
        suggestion: fields.suggestion,
        stance: fields.stance,
      });
      if (!parsed.success) throw validationError("body", parsed.error);
      const result = await db
        .transaction()
        .execute((tx) => createAnnotation(tx, user, parsed.data, now()));
      const row = appliedRow(c, result);
      const created = result.status === "applied" && result.created;
      if (created) c.header("Location", iris.annotation(row.id));
      return itemResponse(c, row, iris, created ? 201 : 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consultations/{id}/annotations/{annotationId}",
      tags: ["open data"],
      summary: "W3C Web Annotation Protocol: one annotation of the container (ETag: its revision)",
      request: { params: ItemParams },
      responses: {
        200: ldJson("The annotation"),
        304: { description: "Not modified (If-None-Match)" },
        400: errors[400],
        404: errors[404],
      },
    }),
    async (c) => {
      const { id, annotationId } = c.req.valid("param");
      await ensureVisibleConsultation(c, id);
      const row = await itemOrThrow(c, id, annotationId);
      const same = notModified(c, `"${row.revision}"`);
      if (same) return same as never;
      return itemResponse(c, row, consultationIris(c.get("deps").publicUrl, id), 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/consultations/{id}/annotations/{annotationId}",
      tags: ["open data"],
      summary: "W3C Web Annotation Protocol: replace your comment's body; If-Match is required",
      security: bearer,
      request: { params: ItemParams, ...W3cBody },
      responses: {
        200: ldJson("Replaced"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        412: errors[412],
        428: errors[428],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, annotationId } = c.req.valid("param");
      await ensureVisibleConsultation(c, id);
      const base = revisionFrom(c);
      const { db, now, publicUrl } = c.get("deps");
      const iris = consultationIris(publicUrl, id);
      await itemOrThrow(c, id, annotationId);
      const fields = readW3c(c.req.valid("json"), iris);
      const result = await db
        .transaction()
        .execute((tx) =>
          editAnnotation(
            tx,
            user,
            annotationId,
            base,
            { text: fields.text, suggestion: fields.suggestion, stance: fields.stance },
            now(),
          ),
        );
      return itemResponse(c, appliedRow(c, result), iris, 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/consultations/{id}/annotations/{annotationId}",
      tags: ["open data"],
      summary: "W3C Web Annotation Protocol: withdraw your comment; If-Match is required",
      security: bearer,
      request: { params: ItemParams },
      responses: {
        204: { description: "Withdrawn" },
        401: errors[401],
        403: errors[403],
        404: errors[404],
        409: errors[409],
        412: errors[412],
        428: errors[428],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, annotationId } = c.req.valid("param");
      await ensureVisibleConsultation(c, id);
      const base = revisionFrom(c);
      const { db, now } = c.get("deps");
      await itemOrThrow(c, id, annotationId);
      const result = await db
        .transaction()
        .execute((tx) => withdrawAnnotation(tx, user, annotationId, base, now()));
      appliedRow(c, result);
      c.header("ETag", "");
      return c.body(null, 204) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "options",
      path: "/consultations/{id}/annotations",
      tags: ["open data"],
      summary: "W3C Web Annotation Protocol: what the container allows (Allow, Accept-Post, Link)",
      request: { params: IdParams },
      responses: { 200: { description: "Allow, Accept-Post and Link headers" } },
    }),
    (c) => c.body(null, 200) as never,
  );

  return app;
}
