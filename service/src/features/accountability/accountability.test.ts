import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../test/backends.ts";
import {
  annotationInput,
  populate,
  startTestService,
  type TestService,
} from "../../test/harness.ts";
import { clusterAll } from "../clustering/clustering.worker.ts";

const LONG =
  "The proposed limit of forty hours a week ignores night shift workers in hospitals and factories, who need a lower cap and a paid rest day after every six nights of work.";

describe.each(backends)("points, answers and deadlines over HTTP on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  const say = (token: string, text: string, over = {}) =>
    s.call("POST", "/v1/annotations", {
      token,
      body: annotationInput(p.consultationId, { text, ...over }),
    });

  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
    await say(p.alice.token, LONG);
    await say(p.bob.token, `${LONG.replace("forty", "Forty")}  Thank you.`);
    await say(p.admin.token, "Please define 'employer' in article 2 so platform work is covered.", {
      target: {
        source: "https://gov.example/drafts/labor",
        selector: [{ type: "ParagraphSelector", key: "art-2.p1" }],
      },
      motivation: "questioning",
      stance: "neutral",
    });
    await clusterAll(s.db);
  });
  afterAll(() => s.close());

  const points = async () =>
    (await s.call("GET", `/v1/consultations/${p.consultationId}/points`)).body.items as any[];
  const status = async () =>
    (await s.call("GET", `/v1/consultations/${p.consultationId}/accountability`)).body;

  it("folds near-identical comments into one point and summarises per paragraph", async () => {
    const list = await points();
    expect(list.map((x) => x.size)).toEqual([2, 1]);
    expect(list[0]).toMatchObject({
      paragraphKey: "art-30.p1",
      people: 2,
      stance: { oppose: 2 },
      answered: false,
      campaign: false,
    });
    expect(list[0].representative.text).toContain("night shift workers");
    const summary = (await s.call("GET", `/v1/consultations/${p.consultationId}/summary`)).body;
    expect(summary.totals).toMatchObject({ comments: 3, people: 3, questions: 1 });
    expect(summary.paragraphs[0]).toMatchObject({
      paragraphKey: "art-30.p1",
      comments: 2,
      people: 2,
      stance: { support: 0, oppose: 2, neutral: 0 },
    });
    expect(await status()).toMatchObject({
      pending: 0,
      points: { total: 2, answered: 0, unanswered: 2, overdue: 0 },
    });
  });

  it("keeps draft answers private until published, then shows every revision", async () => {
    const [big] = await points();
    const draft = await s.call("POST", `/v1/consultations/${p.consultationId}/responses`, {
      token: p.official.token,
      body: {
        target: { type: "cluster", id: big.id },
        text: "We will consult the nurses' union.",
        disposition: "explained",
      },
    });
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe("draft");
    expect(
      (await s.call("GET", `/v1/consultations/${p.consultationId}/responses`)).body.items,
    ).toEqual([]);
    expect((await status()).points.answered).toBe(0);

    const published = await s.call(
      "POST",
      `/v1/consultations/${p.consultationId}/responses/publish`,
      { token: p.official.token, body: { ids: [draft.body.id] } },
    );
    expect(published.body.items[0]).toMatchObject({
      status: "published",
      history: [{ revision: 1, text: "We will consult the nurses' union." }],
    });
    const revised = await s.call("PATCH", `/v1/responses/${draft.body.id}`, {
      token: p.official.token,
      body: { text: "Adopted: night shifts get a 36-hour cap.", disposition: "adopted" },
      headers: { "if-match": '"1"' },
    });
    expect(revised.status).toBe(200);
    expect(revised.body.history.map((h: any) => h.disposition)).toEqual(["explained", "adopted"]);
    const stale = await s.call("PATCH", `/v1/responses/${draft.body.id}`, {
      token: p.official.token,
      body: { text: "x" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    const publicList = (await s.call("GET", `/v1/consultations/${p.consultationId}/responses`)).body
      .items;
    expect(publicList).toHaveLength(1);
    expect(publicList[0].official).toMatchObject({ id: p.official.user.id, role: "official" });

    const after = await status();
    expect(after.points).toMatchObject({ total: 2, answered: 1, unanswered: 1 });
    expect(after.byOfficial).toContainEqual(
      expect.objectContaining({
        official: expect.objectContaining({ id: p.official.user.id }),
        assigned: true,
        answered: 1,
      }),
    );

    // The commenter's client pulls the answer with the comments.
    const pulled = await s.call("GET", `/v1/sync/pull?consultation=${p.consultationId}&since=0`, {
      token: p.alice.token,
    });
    expect(pulled.body.responses.map((r: any) => r.text)).toEqual([
      "Adopted: night shifts get a 36-hour cap.",
    ]);
  });

  it("lets only the owning agency's officials answer, and only things in the consultation", async () => {
    const [, small] = await points();
    const body = { target: { type: "cluster", id: small.id }, text: "x", disposition: "explained" };
    expect(
      (
        await s.call("POST", `/v1/consultations/${p.consultationId}/responses`, {
          token: p.alice.token,
          body,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await s.call("POST", `/v1/consultations/${p.consultationId}/responses`, {
          token: p.foreignOfficial.token,
          body,
        })
      ).status,
    ).toBe(403);
    const stranger = await s.call("POST", `/v1/consultations/${p.consultationId}/responses`, {
      token: p.official.token,
      body: { ...body, target: { type: "annotation", id: "00000000-0000-4000-8000-000000000000" } },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe("body.target.id");
  });

  it("shows unanswered points as overdue after the deadline, and refuses to conclude until all are answered", async () => {
    const before = s.clock.now;
    s.clock.now = new Date(before.getTime() + 15 * 86_400_000);
    try {
      const late = await status();
      expect(late.points).toMatchObject({ total: 2, answered: 1, unanswered: 1, overdue: 1 });
      const board = (await s.call("GET", "/v1/scoreboard")).body.agencies.find(
        (a: any) => a.agency.id === p.agency.id,
      );
      expect(board).toMatchObject({ points: 2, answered: 1, responseRate: 0.5, overdue: 1 });
      expect(board.medianDaysToAnswer).toBeGreaterThanOrEqual(0);
      const refused = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
        token: p.official.token,
        body: { status: "concluded" },
      });
      expect(refused.status).toBe(409);

      const [, small] = await points();
      const answer = await s.call("POST", `/v1/consultations/${p.consultationId}/responses`, {
        token: p.official.token,
        body: {
          target: { type: "paragraph", key: "art-2.p1" },
          text: "Article 2 will define platform work.",
          disposition: "partly_adopted",
          publish: true,
        },
      });
      expect(answer.status).toBe(201);
      expect((await points()).find((x) => x.id === small.id)?.answered).toBe(true);
      const concluded = await s.call("PATCH", `/v1/consultations/${p.consultationId}`, {
        token: p.official.token,
        body: { status: "concluded" },
      });
      expect(concluded.status).toBe(200);
      expect(concluded.body.status).toBe("concluded");
    } finally {
      s.clock.now = before;
    }
  });
});

describe.each(backends)("officials' merges and splits on %s", (backend) => {
  let s: TestService;
  let p: Awaited<ReturnType<typeof populate>>;
  beforeAll(async () => {
    s = await startTestService(backend);
    p = await populate(s);
  });
  afterAll(() => s.close());

  it("survive new comments arriving and being clustered", async () => {
    const a = annotationInput(p.consultationId, {
      text: "Overtime pay should double on public holidays for every worker.",
    });
    const b = annotationInput(p.consultationId, {
      text: "Shift workers must be told their roster two weeks ahead.",
    });
    await s.call("POST", "/v1/annotations", { token: p.alice.token, body: a });
    await s.call("POST", "/v1/annotations", { token: p.bob.token, body: b });
    await clusterAll(s.db);
    const merge = await s.call("POST", `/v1/consultations/${p.consultationId}/clusters/overrides`, {
      token: p.official.token,
      body: { kind: "merge", from: b.id, into: a.id },
    });
    expect(merge.status).toBe(200);
    expect(merge.body.items).toHaveLength(1);
    expect(merge.body.items[0].size).toBe(2);

    // A new comment like b's arrives: it joins b's computed point, which now lives inside a's.
    const c = annotationInput(p.consultationId, {
      text: "Shift workers must be told their roster two weeks ahead!",
    });
    await s.call("POST", "/v1/annotations", { token: p.admin.token, body: c });
    await clusterAll(s.db);
    const merged = (await s.call("GET", `/v1/consultations/${p.consultationId}/points`)).body.items;
    expect(merged).toHaveLength(1);
    expect(merged[0].size).toBe(3);

    const split = await s.call("POST", `/v1/consultations/${p.consultationId}/clusters/overrides`, {
      token: p.official.token,
      body: { kind: "split", memberId: a.id },
    });
    expect(split.body.items.map((x: any) => x.size).sort()).toEqual([1, 2]);
    const citizen = await s.call(
      "POST",
      `/v1/consultations/${p.consultationId}/clusters/overrides`,
      { token: p.alice.token, body: { kind: "split", memberId: a.id } },
    );
    expect(citizen.status).toBe(403);
    const unknown = await s.call(
      "POST",
      `/v1/consultations/${p.consultationId}/clusters/overrides`,
      {
        token: p.official.token,
        body: { kind: "split", memberId: "00000000-0000-4000-8000-000000000000" },
      },
    );
    expect(unknown.status).toBe(400);
  });
});
