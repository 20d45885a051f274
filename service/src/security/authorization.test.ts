import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../test/backends.ts";
import { annotationInput, populate, type TestService, uuidv7 } from "../test/harness.ts";
import { noLimits, startServiceWith } from "./test-service.ts";

const callers = ["anonymous", "author", "citizen", "foreignOfficial", "official", "admin"] as const;
type Caller = (typeof callers)[number];
type World = Awaited<ReturnType<typeof populate>>;

interface Call {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** A token other than the caller's usual one (e.g. a fresh session to end). */
  token?: string;
}
interface Row {
  /** "METHOD /v1/path/{param}" exactly as in the OpenAPI document. */
  route: string;
  /** A variant of the same route, told apart in the test's name. */
  note?: string;
  /** Makes a fresh, valid request for this caller (fresh ids where the call changes something). */
  make: (caller: Caller) => Promise<Call>;
  /** The status each kind of caller gets. */
  expect: Record<Caller, number>;
}

/** All callers get the same status. */
const all = (status: number): Record<Caller, number> => ({
  anonymous: status,
  author: status,
  citizen: status,
  foreignOfficial: status,
  official: status,
  admin: status,
});
/** Anyone signed in. */
const signedIn = (status: number) => ({ ...all(status), anonymous: 401 });
/** Officials of the owning agency and admins. */
const agency = (status: number) => ({
  anonymous: 401,
  author: 403,
  citizen: 403,
  foreignOfficial: 403,
  official: status,
  admin: status,
});
/** The author alone. */
const authorOnly = (status: number) => ({
  anonymous: 401,
  author: status,
  citizen: 403,
  foreignOfficial: 403,
  official: 403,
  admin: 403,
});

describe.each(backends)("authorization table (%s)", (kind) => {
  let s: TestService;
  let w: World;
  let draftConsultation: string;
  let sharedAnnotation: string;
  let n = 0;
  const fresh = () => `${Date.now().toString(36)}-${n++}`;

  const person = (caller: Caller) =>
    ({
      anonymous: undefined,
      author: w?.alice,
      citizen: w?.bob,
      foreignOfficial: w?.foreignOfficial,
      official: w?.official,
      admin: w?.admin,
    })[caller];

  const comment = async (consultationId: string | null = w.consultationId) => {
    const body = annotationInput(consultationId);
    if (!consultationId) body.target = { ...body.target, source: "https://news.example/a/1" };
    const r = await s.call("POST", "/v1/annotations", { token: w.alice.token, body });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    return r.body.id as string;
  };
  const draftAnswer = async () => {
    const r = await s.call("POST", `/v1/consultations/${w.consultationId}/responses`, {
      token: w.official.token,
      body: {
        target: { type: "paragraph", key: "art-30.p1" },
        text: "We will look at it.",
        disposition: "explained",
      },
    });
    if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    return r.body.id as string;
  };
  const newSession = async (caller: Caller) => {
    const p = person(caller);
    if (!p) return undefined;
    const r = await s.call("POST", "/v1/auth/login", {
      body: { email: p.email, password: p.password },
    });
    return r.body.token as string;
  };
  const consultationBody = () => {
    const now = s.clock.now.getTime();
    return {
      agencyId: w.agency.id,
      title: "Another draft",
      locale: "en",
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 86_400_000).toISOString(),
      respondBy: new Date(now + 2 * 86_400_000).toISOString(),
    };
  };
  const C = () => w.consultationId;

  const table: Row[] = [
    {
      route: "POST /v1/auth/register",
      make: async () => ({
        path: "/v1/auth/register",
        body: {
          email: `new-${fresh()}@example.test`,
          password: "a long password",
          displayName: "New",
        },
      }),
      expect: all(201),
    },
    {
      route: "POST /v1/auth/login",
      make: async () => ({
        path: "/v1/auth/login",
        body: { email: w.bob.email, password: w.bob.password },
      }),
      expect: all(200),
    },
    {
      route: "POST /v1/auth/logout",
      make: async (caller) => ({ path: "/v1/auth/logout", token: await newSession(caller) }),
      expect: signedIn(204),
    },
    {
      route: "GET /v1/auth/me",
      make: async () => ({ path: "/v1/auth/me" }),
      expect: signedIn(200),
    },
    {
      route: "POST /v1/auth/password",
      make: async (caller) => {
        const p = person(caller);
        return {
          path: "/v1/auth/password",
          body: {
            currentPassword: p?.password ?? "a long test password",
            newPassword: p?.password ?? "a long test password",
          },
        };
      },
      expect: signedIn(204),
    },
    { route: "GET /v1/agencies", make: async () => ({ path: "/v1/agencies" }), expect: all(200) },
    {
      route: "POST /v1/agencies",
      make: async () => ({
        path: "/v1/agencies",
        body: { slug: `a-${fresh()}`, name: { en: "New agency" } },
      }),
      expect: { ...agency(403), admin: 201 },
    },
    {
      route: "POST /v1/users",
      make: async () => ({
        path: "/v1/users",
        body: {
          email: `o-${fresh()}@example.test`,
          password: "a long password",
          displayName: "New official",
          role: "official",
          agencyId: w.agency.id,
        },
      }),
      expect: agency(201),
    },
    {
      route: "PATCH /v1/agencies/{id}",
      make: async () => ({ path: `/v1/agencies/${w.agency.id}`, body: { domains: [] } }),
      expect: agency(200),
    },
    {
      route: "GET /v1/agencies/{id}/officials",
      make: async () => ({ path: `/v1/agencies/${w.agency.id}/officials` }),
      expect: all(200),
    },
    {
      route: "GET /v1/agencies/{id}/webhook",
      make: async () => ({ path: `/v1/agencies/${w.agency.id}/webhook` }),
      expect: agency(200),
    },
    {
      route: "POST /v1/consultations",
      make: async () => ({ path: "/v1/consultations", body: consultationBody() }),
      expect: agency(201),
    },
    {
      route: "GET /v1/consultations",
      make: async () => ({ path: "/v1/consultations" }),
      expect: all(200),
    },
    {
      route: "GET /v1/consultations/lookup",
      make: async () => ({ path: "/v1/consultations/lookup?url=https://gov.example/drafts/labor" }),
      expect: all(200),
    },
    {
      route: "GET /v1/url-patterns",
      make: async () => ({ path: "/v1/url-patterns" }),
      expect: all(200),
    },
    {
      route: "GET /v1/consultations/{id}",
      make: async () => ({ path: `/v1/consultations/${C()}` }),
      expect: all(200),
    },
    {
      route: "GET /v1/consultations/{id}",
      note: "a draft: only its agency",
      make: async () => ({ path: `/v1/consultations/${draftConsultation}` }),
      expect: { ...all(404), official: 200, admin: 200 },
    },
    {
      route: "PATCH /v1/consultations/{id}",
      make: async () => ({
        path: `/v1/consultations/${C()}`,
        body: { summary: `changed ${fresh()}` },
      }),
      expect: agency(200),
    },
    {
      route: "POST /v1/consultations/{id}/versions",
      make: async () => ({
        path: `/v1/consultations/${C()}/versions`,
        body: { paragraphs: [{ key: "art-30.p1", text: `Forty hours a week ${fresh()}.` }] },
      }),
      expect: agency(201),
    },
    {
      route: "GET /v1/consultations/{id}/versions/{version}",
      make: async () => ({ path: `/v1/consultations/${C()}/versions/1` }),
      expect: all(200),
    },
    {
      route: "GET /v1/consultations/{id}/versions/{version}/changes",
      make: async () => ({ path: `/v1/consultations/${C()}/versions/2/changes` }),
      expect: all(200),
    },
    {
      route: "GET /v1/annotations",
      make: async () => ({ path: `/v1/annotations?consultation=${C()}` }),
      expect: all(200),
    },
    {
      route: "GET /v1/annotations",
      note: "on a draft: only its agency",
      make: async () => ({ path: `/v1/annotations?consultation=${draftConsultation}` }),
      expect: { ...all(404), official: 200, admin: 200 },
    },
    {
      route: "POST /v1/annotations",
      make: async () => ({ path: "/v1/annotations", body: annotationInput(C()) }),
      expect: signedIn(201),
    },
    {
      route: "GET /v1/annotations/{id}",
      make: async () => ({ path: `/v1/annotations/${sharedAnnotation}` }),
      expect: all(200),
    },
    {
      route: "PATCH /v1/annotations/{id}",
      make: async () => ({
        path: `/v1/annotations/${await comment()}`,
        headers: { "if-match": '"1"' },
        body: { text: "On second thought." },
      }),
      expect: authorOnly(200),
    },
    {
      route: "DELETE /v1/annotations/{id}",
      make: async () => ({
        path: `/v1/annotations/${await comment()}`,
        headers: { "if-match": '"1"' },
      }),
      expect: authorOnly(200),
    },
    {
      route: "PUT /v1/annotations/{id}/endorsement",
      make: async () => ({
        path: `/v1/annotations/${sharedAnnotation}/endorsement`,
        body: { kind: "agree" },
      }),
      expect: { ...signedIn(200), author: 403 },
    },
    {
      route: "POST /v1/annotations/{id}/flags",
      make: async () => ({
        path: `/v1/annotations/${await comment()}/flags`,
        body: { reason: "spam" },
      }),
      expect: { ...signedIn(201), author: 403 },
    },
    {
      route: "POST /v1/annotations/{id}/moderation",
      make: async () => ({
        path: `/v1/annotations/${await comment()}/moderation`,
        body: { action: "hide", reason: "abusive" },
      }),
      expect: agency(200),
    },
    {
      route: "POST /v1/annotations/{id}/moderation",
      note: "on a page that is not a consultation: admins only",
      make: async () => ({
        path: `/v1/annotations/${await comment(null)}/moderation`,
        body: { action: "hide", reason: "abusive" },
      }),
      expect: { ...agency(200), official: 403 },
    },
    {
      route: "GET /v1/consultations/{id}/moderation",
      make: async () => ({ path: `/v1/consultations/${C()}/moderation` }),
      expect: agency(200),
    },
    {
      route: "POST /v1/sync/push",
      make: async () => ({
        path: "/v1/sync/push",
        body: {
          mutations: [
            { type: "annotation.create", key: uuidv7(), annotation: annotationInput(C()) },
          ],
        },
      }),
      expect: signedIn(200),
    },
    {
      route: "GET /v1/sync/pull",
      make: async () => ({ path: `/v1/sync/pull?consultation=${C()}&since=0` }),
      expect: all(200),
    },
    {
      route: "GET /v1/sync/pull",
      note: "on a draft: only its agency",
      make: async () => ({ path: `/v1/sync/pull?consultation=${draftConsultation}&since=0` }),
      expect: { ...all(404), official: 200, admin: 200 },
    },
    {
      route: "POST /v1/consultations/{id}/responses",
      make: async () => ({
        path: `/v1/consultations/${C()}/responses`,
        body: {
          target: { type: "annotation", id: sharedAnnotation },
          text: "Thank you.",
          disposition: "explained",
        },
      }),
      expect: agency(201),
    },
    {
      route: "GET /v1/consultations/{id}/responses",
      make: async () => ({ path: `/v1/consultations/${C()}/responses` }),
      expect: all(200),
    },
    {
      route: "PATCH /v1/responses/{id}",
      make: async () => ({
        path: `/v1/responses/${await draftAnswer()}`,
        headers: { "if-match": '"1"' },
        body: { text: "We adopted it." },
      }),
      expect: agency(200),
    },
    {
      route: "POST /v1/consultations/{id}/responses/publish",
      make: async () => ({
        path: `/v1/consultations/${C()}/responses/publish`,
        body: { ids: [await draftAnswer()] },
      }),
      expect: agency(200),
    },
    {
      route: "GET /v1/consultations/{id}/export",
      make: async () => ({ path: `/v1/consultations/${C()}/export?format=csv` }),
      expect: all(200),
    },
    {
      route: "POST /v1/consultations/{id}/import",
      make: async () => ({
        path: `/v1/consultations/${C()}/import`,
        body: {
          "@context": "http://www.w3.org/ns/anno.jsonld",
          id: `https://elsewhere.example/anno/${fresh()}`,
          type: "Annotation",
          bodyValue: "Said at the public hearing.",
          target: "https://gov.example/drafts/labor",
        },
      }),
      expect: agency(200),
    },
    {
      route: "GET /v1/consultations/{id}/annotations",
      make: async () => ({ path: `/v1/consultations/${C()}/annotations` }),
      expect: all(200),
    },
    {
      route: "OPTIONS /v1/consultations/{id}/annotations",
      make: async () => ({ path: `/v1/consultations/${C()}/annotations` }),
      expect: all(200),
    },
    {
      route: "POST /v1/consultations/{id}/annotations",
      make: async () => ({
        path: `/v1/consultations/${C()}/annotations`,
        headers: { "content-type": "application/ld+json" },
        body: JSON.stringify({
          "@context": "http://www.w3.org/ns/anno.jsonld",
          type: "Annotation",
          bodyValue: "As a W3C client",
          target: {
            source: "https://gov.example/drafts/labor",
            selector: { type: "TextQuoteSelector", exact: "forty hours" },
          },
        }),
      }),
      expect: signedIn(201),
    },
    {
      route: "GET /v1/consultations/{id}/annotations/{annotationId}",
      make: async () => ({ path: `/v1/consultations/${C()}/annotations/${sharedAnnotation}` }),
      expect: all(200),
    },
    {
      route: "PUT /v1/consultations/{id}/annotations/{annotationId}",
      make: async () => ({
        path: `/v1/consultations/${C()}/annotations/${await comment()}`,
        headers: { "if-match": '"1"', "content-type": "application/ld+json" },
        body: JSON.stringify({
          "@context": "http://www.w3.org/ns/anno.jsonld",
          id: "http://margin.test/x",
          type: "Annotation",
          bodyValue: "Changed as a W3C client",
          target: {
            source: "https://gov.example/drafts/labor",
            selector: { type: "TextQuoteSelector", exact: "forty hours" },
          },
        }),
      }),
      expect: authorOnly(200),
    },
    {
      route: "DELETE /v1/consultations/{id}/annotations/{annotationId}",
      make: async () => ({
        path: `/v1/consultations/${C()}/annotations/${await comment()}`,
        headers: { "if-match": '"1"' },
      }),
      expect: authorOnly(204),
    },
    {
      route: "GET /v1/consultations/{id}/summary",
      make: async () => ({ path: `/v1/consultations/${C()}/summary` }),
      expect: all(200),
    },
    {
      route: "GET /v1/consultations/{id}/summary",
      note: "of a draft: only its agency",
      make: async () => ({ path: `/v1/consultations/${draftConsultation}/summary` }),
      expect: { ...all(404), official: 200, admin: 200 },
    },
    {
      route: "GET /v1/consultations/{id}/points",
      make: async () => ({ path: `/v1/consultations/${C()}/points` }),
      expect: all(200),
    },
    {
      route: "GET /v1/consultations/{id}/accountability",
      make: async () => ({ path: `/v1/consultations/${C()}/accountability` }),
      expect: all(200),
    },
    {
      route: "GET /v1/scoreboard",
      make: async () => ({ path: "/v1/scoreboard" }),
      expect: all(200),
    },
    {
      route: "POST /v1/consultations/{id}/clusters/overrides",
      make: async () => ({
        path: `/v1/consultations/${C()}/clusters/overrides`,
        body: { kind: "split", memberId: await comment() },
      }),
      expect: agency(200),
    },
  ];

  beforeAll(async () => {
    s = await startServiceWith(kind, noLimits);
    w = await populate(s);
    const d = await s.call("POST", "/v1/consultations", {
      token: w.official.token,
      body: consultationBody(),
    });
    draftConsultation = d.body.id;
    for (const text of ["Article 30. Forty hours a week.", "Article 30. Forty-two hours a week."]) {
      const v = await s.call("POST", `/v1/consultations/${C()}/versions`, {
        token: w.official.token,
        body: { paragraphs: [{ key: "art-30.p1", text }] },
      });
      if (v.status !== 201) throw new Error(JSON.stringify(v.body));
    }
    sharedAnnotation = await comment();
  });
  afterAll(() => s?.close());

  it("covers every route in the OpenAPI document", async () => {
    const doc = (await s.call("GET", "/openapi.json")).body;
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const inTable = new Set(table.map((r) => r.route));
    expect(documented.filter((r) => !inTable.has(r))).toEqual([]);
    expect([...inTable].filter((r) => !documented.includes(r))).toEqual([]);
  });

  it.each(table.map((r) => [r.note ? `${r.route} (${r.note})` : r.route, r] as const))(
    "%s",
    async (_name, row) => {
      const method = row.route.split(" ")[0] as string;
      const got: Partial<Record<Caller, number>> = {};
      const bodies: Partial<Record<Caller, unknown>> = {};
      for (const caller of callers) {
        const call = await row.make(caller);
        const token = "token" in call ? call.token : person(caller)?.token;
        const res = await s.call(method, call.path, {
          token,
          body: call.body,
          headers: call.headers,
        });
        got[caller] = res.status;
        if (res.status >= 400) {
          expect(res.body.error.code, JSON.stringify(res.body)).toBeTypeOf("string");
          bodies[caller] = res.body.error.message;
        }
      }
      expect(got, JSON.stringify(bodies)).toEqual(row.expect);
    },
  );
});
