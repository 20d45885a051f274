import { AnnotationInputSchema, canonicalUrl } from "@margin/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
  uuidv7,
} from "../../test/harness.ts";
import { storeNewComments } from "./annotations.bulk-create.ts";

describe.each(backends)("annotations over HTTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  const count = async () =>
    Number(
      (
        await s.db
          .selectFrom("annotations")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("creates with the client's id, and a retry with that id returns the same annotation", async () => {
    const input = annotationInput(p.consultationId);
    const first = await s.call("POST", "/v1/annotations", { token: p.alice.token, body: input });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: input.id,
      paragraphKey: "art-30.p1",
      revision: 1,
      status: "visible",
      author: { id: p.alice.user.id, role: "citizen" },
      endorsements: { agree: 0, disagree: 0 },
    });
    expect(JSON.stringify(first.body)).not.toContain(p.alice.email);
    const n = await count();
    const retry = await s.call("POST", "/v1/annotations", { token: p.alice.token, body: input });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await count()).toBe(n);
    const thief = await s.call("POST", "/v1/annotations", { token: p.bob.token, body: input });
    expect(thief.status).toBe(409);
    expect(await count()).toBe(n);
  });

  it("edits with If-Match, and answers a stale revision with 412 and the stored copy", async () => {
    const input = annotationInput(p.consultationId);
    await s.call("POST", "/v1/annotations", { token: p.alice.token, body: input });
    const noMatch = await s.call("PATCH", `/v1/annotations/${input.id}`, {
      token: p.alice.token,
      body: { text: "x" },
    });
    expect(noMatch.status).toBe(428);
    const edited = await s.call("PATCH", `/v1/annotations/${input.id}`, {
      token: p.alice.token,
      body: { text: "Edited on the laptop" },
      headers: { "if-match": '"1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ text: "Edited on the laptop", revision: 2 });
    expect(edited.headers.get("etag")).toBe('"2"');
    const stale = await s.call("PATCH", `/v1/annotations/${input.id}`, {
      token: p.alice.token,
      body: { text: "Edited on the phone" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("revision_mismatch");
    expect(stale.body.error.current.text).toBe("Edited on the laptop");
    const notAuthor = await s.call("PATCH", `/v1/annotations/${input.id}`, {
      token: p.bob.token,
      body: { text: "mine now" },
      headers: { "if-match": '"2"' },
    });
    expect(notAuthor.status).toBe(403);
    const official = await s.call("PATCH", `/v1/annotations/${input.id}`, {
      token: p.official.token,
      body: { text: "officially" },
      headers: { "if-match": '"2"' },
    });
    expect(official.status).toBe(403);
    const stored = await s.call("GET", `/v1/annotations/${input.id}`);
    expect(stored.body.text).toBe("Edited on the laptop");
  });

  it("withdraws: the comment keeps its place without its words", async () => {
    const input = annotationInput(p.consultationId);
    await s.call("POST", "/v1/annotations", { token: p.alice.token, body: input });
    const gone = await s.call("DELETE", `/v1/annotations/${input.id}`, {
      token: p.alice.token,
      headers: { "if-match": "1" },
    });
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ status: "withdrawn", text: "", revision: 2 });
    const again = await s.call("PATCH", `/v1/annotations/${input.id}`, {
      token: p.alice.token,
      body: { text: "back" },
      headers: { "if-match": "2" },
    });
    expect(again.status).toBe(409);
  });

  it("threads replies under their parent, on the parent's target", async () => {
    const parent = annotationInput(p.consultationId);
    await s.call("POST", "/v1/annotations", { token: p.alice.token, body: parent });
    const reply = annotationInput(p.consultationId, {
      parentId: parent.id,
      motivation: "replying",
      text: "Agreed, and weekends too.",
      target: {
        source: "https://elsewhere.example/",
        selector: [{ type: "ParagraphSelector", key: "zzz" }],
      },
    });
    const r = await s.call("POST", "/v1/annotations", { token: p.bob.token, body: reply });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      parentId: parent.id,
      paragraphKey: "art-30.p1",
      target: { source: "https://gov.example/drafts/labor" },
    });
    const orphan = await s.call("POST", "/v1/annotations", {
      token: p.bob.token,
      body: { ...reply, id: uuidv7(), parentId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(orphan.status).toBe(404);
    const inconsistent = await s.call("POST", "/v1/annotations", {
      token: p.bob.token,
      body: { ...reply, id: uuidv7(), motivation: "commenting" },
    });
    expect(inconsistent.status).toBe(400);
  });

  it("counts one endorsement per person and never one's own", async () => {
    const input = annotationInput(p.consultationId);
    await s.call("POST", "/v1/annotations", { token: p.alice.token, body: input });
    const own = await s.call("PUT", `/v1/annotations/${input.id}/endorsement`, {
      token: p.alice.token,
      body: { kind: "agree" },
    });
    expect(own.status).toBe(403);
    await s.call("PUT", `/v1/annotations/${input.id}/endorsement`, {
      token: p.bob.token,
      body: { kind: "agree" },
    });
    const twice = await s.call("PUT", `/v1/annotations/${input.id}/endorsement`, {
      token: p.bob.token,
      body: { kind: "agree" },
    });
    expect(twice.body.endorsements).toEqual({ agree: 1, disagree: 0 });
    const official = await s.call("PUT", `/v1/annotations/${input.id}/endorsement`, {
      token: p.official.token,
      body: { kind: "disagree" },
    });
    expect(official.body.endorsements).toEqual({ agree: 1, disagree: 1 });
    const undone = await s.call("PUT", `/v1/annotations/${input.id}/endorsement`, {
      token: p.bob.token,
      body: { kind: null },
    });
    expect(undone.body.endorsements).toEqual({ agree: 0, disagree: 1 });
    expect(undone.body.revision).toBe(1);
  });

  it("takes suggested rewordings only with the proposed text", async () => {
    const missing = await s.call("POST", "/v1/annotations", {
      token: p.alice.token,
      body: annotationInput(p.consultationId, { motivation: "editing" }),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe("body.suggestion");
    const ok = await s.call("POST", "/v1/annotations", {
      token: p.alice.token,
      body: annotationInput(p.consultationId, {
        motivation: "editing",
        suggestion: "not exceed thirty-six hours",
      }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.suggestion).toBe("not exceed thirty-six hours");
  });

  it("works on pages that are not registered consultations, by canonical URL", async () => {
    const input = annotationInput(null, {
      target: {
        source: "https://Blog.example/post/?utm_source=x#top",
        selector: [{ type: "TextQuoteSelector", exact: "hello" }],
      },
    });
    const created = await s.call("POST", "/v1/annotations", { token: p.bob.token, body: input });
    expect(created.status).toBe(201);
    expect(created.body.target.source).toBe("https://blog.example/post");
    const list = await s.call(
      "GET",
      `/v1/annotations?source=${encodeURIComponent("https://blog.example/post#other")}`,
    );
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([input.id]);
  });

  it("lists by consultation and paragraph, in pages", async () => {
    const all = await s.call("GET", `/v1/annotations?consultation=${p.consultationId}&limit=2`);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.next).toBe(all.body.items[1].id);
    const rest = await s.call(
      "GET",
      `/v1/annotations?consultation=${p.consultationId}&limit=500&after=${all.body.next}`,
    );
    expect(rest.body.items[0].id > all.body.next).toBe(true);
    const para = await s.call(
      "GET",
      `/v1/annotations?consultation=${p.consultationId}&paragraph=art-30.p1`,
    );
    expect(
      para.body.items.every((a: { paragraphKey: string }) => a.paragraphKey === "art-30.p1"),
    ).toBe(true);
    const neither = await s.call("GET", "/v1/annotations");
    expect(neither.status).toBe(400);
  });

  it("locks comments when the consultation closes", async () => {
    const input = annotationInput(p.consultationId);
    await s.call("POST", "/v1/annotations", { token: p.alice.token, body: input });
    const before = s.clock.now;
    s.clock.now = new Date(before.getTime() + 8 * 86_400_000);
    try {
      const late = await s.call("POST", "/v1/annotations", {
        token: p.alice.token,
        body: annotationInput(p.consultationId),
      });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe("consultation_closed");
      const edit = await s.call("PATCH", `/v1/annotations/${input.id}`, {
        token: p.alice.token,
        body: { text: "late" },
        headers: { "if-match": "1" },
      });
      expect(edit.body.error.code).toBe("consultation_closed");
    } finally {
      s.clock.now = before;
    }
  });

  it("stores comments posted at the same moment by different people together, each answered as if alone", async () => {
    const mine = Array.from({ length: 5 }, () => annotationInput(p.consultationId));
    const bobs = Array.from({ length: 5 }, () => annotationInput(p.consultationId));
    const taken = mine[0] as (typeof mine)[number];
    const post = (token: string, body: unknown) =>
      s.call("POST", "/v1/annotations", { token, body });
    const answers = await Promise.all([
      ...mine.map((a) => post(p.alice.token, a)),
      ...bobs.map((a) => post(p.bob.token, a)),
      post(p.alice.token, taken),
      post(p.bob.token, taken),
    ]);
    const [aliceFirst, ...aliceRest] = answers.slice(0, 5);
    const retry = answers[10];
    const theft = answers[11];
    expect([aliceFirst?.status, retry?.status].sort()).toEqual([200, 201]);
    expect(retry?.body).toEqual(aliceFirst?.body);
    expect(theft?.status).toBe(409);
    for (const a of aliceRest) expect(a.body.author.id).toBe(p.alice.user.id);
    for (const a of answers.slice(5, 10)) {
      expect(a.status).toBe(201);
      expect(a.body.author.id).toBe(p.bob.user.id);
    }
    const ids = [...mine, ...bobs].map((a) => a.id);
    const stored = await s.db
      .selectFrom("annotations")
      .select(["id", "author_id"])
      .where("id", "in", ids)
      .execute();
    expect(new Map(stored.map((r) => [r.id, r.author_id]))).toEqual(
      new Map([
        ...mine.map((a) => [a.id, p.alice.user.id] as const),
        ...bobs.map((a) => [a.id, p.bob.user.id] as const),
      ]),
    );
    const logged = await s.db
      .selectFrom("changes")
      .select("entity_id")
      .where("entity_id", "in", ids)
      .execute();
    expect(logged.map((r) => r.entity_id).sort()).toEqual([...ids].sort());
  });

  it("checks each comment of a batch against the consultation as of its own time", async () => {
    const a = p.alice.user;
    const user = {
      id: a.id,
      email: a.email,
      display_name: a.displayName,
      role: "citizen" as const,
      agency_id: null,
      created_at: new Date(a.createdAt),
    };
    const input = () => AnnotationInputSchema.parse(annotationInput(p.consultationId));
    const open = s.clock.now;
    const late = new Date(open.getTime() + 8 * 86_400_000);
    const early = input();
    const tardy = input();
    const [onTime, tooLate] = await storeNewComments(s.db, [
      { user, input: early, now: open },
      { user, input: tardy, now: late },
    ]);
    expect(onTime?.status).toBe("applied");
    expect(tooLate?.status === "rejected" && tooLate.error.code).toBe("consultation_closed");
    const stored = await s.db
      .selectFrom("annotations")
      .select("id")
      .where("id", "in", [early.id, tardy.id])
      .execute();
    expect(stored.map((r) => r.id)).toEqual([early.id]);
  });

  it("stores a batch of several people, moments and pages each with its own", async () => {
    const asUser = (u: typeof p.alice.user) => ({
      id: u.id,
      email: u.email,
      display_name: u.displayName,
      role: "citizen" as const,
      agency_id: null,
      created_at: new Date(u.createdAt),
    });
    const [alice, bob] = [asUser(p.alice.user), asUser(p.bob.user)];
    const t0 = s.clock.now;
    const t1 = new Date(t0.getTime() + 60_000);
    const onPage = (source: string) =>
      AnnotationInputSchema.parse(
        annotationInput(p.consultationId, {
          target: { source, selector: [{ type: "TextQuoteSelector", exact: "x" }] },
        }),
      );
    const items = [
      { user: alice, input: onPage("https://gov.example/draft#top"), now: t0 },
      { user: bob, input: onPage("https://gov.example/draft"), now: t1 },
      { user: alice, input: onPage("https://gov.example/other"), now: t1 },
      { user: bob, input: onPage("https://gov.example/draft"), now: t0 },
    ];
    const results = await storeNewComments(s.db, items);
    expect(results.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);
    const stored = await s.db
      .selectFrom("annotations")
      .select(["id", "author_id", "created_at", "source", "scope"])
      .where(
        "id",
        "in",
        items.map((i) => i.input.id),
      )
      .execute();
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const [i, { user, input, now }] of items.entries()) {
      const row = byId.get(input.id);
      expect(row?.author_id).toBe(user.id);
      expect(new Date(row?.created_at as Date).getTime()).toBe(now.getTime());
      expect(row?.source).toBe(canonicalUrl(input.target.source));
      expect(row?.scope).toBe(`c:${p.consultationId}`);
      const r = results[i];
      expect(r?.status === "applied" && r.row.source).toBe(row?.source);
    }
  });

  it("rejects bad input with field paths and stores nothing", async () => {
    const n = await count();
    const cases: [unknown, string][] = [
      [{ ...annotationInput(p.consultationId), id: "not-a-uuid" }, "body.id"],
      [
        { ...annotationInput(p.consultationId), id: "0190b2f8-8c3a-4d3e-9f1a-2b3c4d5e6f70" },
        "body.id",
      ],
      [annotationInput(p.consultationId, { text: "   " }), "body.text"],
      [annotationInput(p.consultationId, { stance: "angry" as never }), "body.stance"],
      [{ ...annotationInput(p.consultationId), extra: 1 }, "body"],
      [
        annotationInput(p.consultationId, {
          target: {
            source: "file:///etc/passwd",
            selector: [{ type: "TextQuoteSelector", exact: "x" }],
          },
        }),
        "body.target.source",
      ],
      [
        annotationInput(p.consultationId, {
          target: { source: "https://a.example", selector: [] },
        }),
        "body.target.selector",
      ],
      [
        annotationInput(p.consultationId, {
          target: {
            source: "https://a.example",
            selector: [{ type: "TextPositionSelector", start: 9, end: 2 }],
          },
        }),
        "body.target.selector.0.end",
      ],
      [annotationInput(p.consultationId, { text: "x".repeat(10_001) }), "body.text"],
    ];
    for (const [body, path] of cases) {
      const res = await s.call("POST", "/v1/annotations", { token: p.alice.token, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const anonymous = await s.call("POST", "/v1/annotations", {
      body: annotationInput(p.consultationId),
    });
    expect(anonymous.status).toBe(401);
    const noConsultation = await s.call("POST", "/v1/annotations", {
      token: p.alice.token,
      body: annotationInput("00000000-0000-4000-8000-000000000000"),
    });
    expect(noConsultation.status).toBe(404);
    expect(await count()).toBe(n);
  });
});
