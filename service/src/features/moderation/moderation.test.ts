import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noLimits, startServiceWith } from "../../security/test-service.ts";
import { backends } from "../../test/backends.ts";
import { annotationInput, manyCitizens, populate, type TestService } from "../../test/harness.ts";

type World = Awaited<ReturnType<typeof populate>>;

describe.each(backends)("flags and moderation (%s)", (kind) => {
  let s: TestService;
  let w: World;
  let flaggers: { id: string; token: string }[];

  const comment = async (consultationId: string | null = w.consultationId, text?: string) => {
    const body = annotationInput(consultationId, text ? { text } : {});
    if (!consultationId) body.target = { ...body.target, source: "https://news.example/story/1" };
    const res = await s.call("POST", "/v1/annotations", { token: w.alice.token, body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const flag = (id: string, token: string, reason = "abuse", note?: string) =>
    s.call("POST", `/v1/annotations/${id}/flags`, {
      token,
      body: note ? { reason, note } : { reason },
    });
  const moderate = (id: string, token: string | undefined, action: string, reason: string) =>
    s.call("POST", `/v1/annotations/${id}/moderation`, { token, body: { action, reason } });
  const cursorNow = async () =>
    (await s.call("GET", `/v1/sync/pull?consultation=${w.consultationId}&since=0&limit=500`)).body
      .cursor as number;

  beforeAll(async () => {
    s = await startServiceWith(kind, { ...noLimits, flagsToHide: 3 });
    w = await populate(s);
    flaggers = await manyCitizens(s, 4, "flagger");
  });
  afterAll(() => s?.close());

  it("takes one flag per person, not from the author, not anonymously, with a known reason", async () => {
    const id = await comment();
    expect((await flag(id, "")).status).toBe(401);
    expect(
      (await s.call("POST", `/v1/annotations/${id}/flags`, { body: { reason: "spam" } })).status,
    ).toBe(401);
    expect((await flag(id, w.alice.token)).status).toBe(403);
    const bad = await flag(id, w.bob.token, "boring");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("body.reason");
    const first = await flag(id, w.bob.token, "spam", "same text posted 40 times");
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      annotationId: id,
      reason: "spam",
      openFlags: 1,
      hidden: false,
    });
    const again = await flag(id, w.bob.token, "abuse");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reason: "spam", openFlags: 1 });
    const missing = await flag("0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70", w.bob.token);
    expect(missing.status).toBe(404);
  });

  it("hides a comment pending review when enough distinct people flag it; the author and moderators still see it, and sync pull carries it", async () => {
    const id = await comment(w.consultationId, "You are all idiots");
    const since = await cursorNow();
    for (const [i, f] of flaggers.slice(0, 2).entries()) {
      const r = await flag(id, f.token);
      expect(r.body).toMatchObject({ openFlags: i + 1, hidden: false });
    }
    const third = await flag(id, flaggers[2]?.token as string, "abuse");
    expect(third.body).toMatchObject({ openFlags: 3, hidden: true });

    const pub = await s.call("GET", `/v1/annotations/${id}`);
    expect(pub.body).toMatchObject({
      status: "hidden",
      text: "",
      hiddenReason: "pending review: flagged by 3 people",
    });
    const own = await s.call("GET", `/v1/annotations/${id}`, { token: w.alice.token });
    expect(own.body.text).toBe("You are all idiots");
    const mod = await s.call("GET", `/v1/annotations/${id}`, { token: w.official.token });
    expect(mod.body.text).toBe("You are all idiots");
    const foreign = await s.call("GET", `/v1/annotations/${id}`, {
      token: w.foreignOfficial.token,
    });
    expect(foreign.body.text).toBe("");

    const pulled = await s.call(
      "GET",
      `/v1/sync/pull?consultation=${w.consultationId}&since=${since}`,
      { token: w.alice.token },
    );
    const seen = pulled.body.annotations.find((a: { id: string }) => a.id === id);
    expect(seen).toMatchObject({
      status: "hidden",
      hiddenReason: "pending review: flagged by 3 people",
    });

    // A fourth flag counts but hides nothing more.
    const fourth = await flag(id, flaggers[3]?.token as string);
    expect(fourth.body).toMatchObject({ openFlags: 4, hidden: true });
    const actions = await s.db
      .selectFrom("moderation_actions")
      .selectAll()
      .where("annotation_id", "=", id)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(["auto_hide"]);
    const audited = await s.db
      .selectFrom("audit_log")
      .select("action")
      .where("entity_id", "=", id)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(["annotation.auto_hide"]);

    // The author cannot edit it while hidden, and is told why.
    const edit = await s.call("PATCH", `/v1/annotations/${id}`, {
      token: w.alice.token,
      headers: { "if-match": `"${own.body.revision}"` },
      body: { text: "sorry" },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toContain("pending review");
  });

  it("lets the agency's officials and admins (only) hide and restore, with a reason the author sees, in the audit log and moderation_actions", async () => {
    const id = await comment(w.consultationId, "Call me at 0912-345-678, Mr Chen lives at No. 5");
    const reason = "contains someone's phone number and address";
    expect((await moderate(id, undefined, "hide", reason)).status).toBe(401);
    expect((await moderate(id, w.alice.token, "hide", reason)).status).toBe(403);
    expect((await moderate(id, w.bob.token, "hide", reason)).status).toBe(403);
    expect((await moderate(id, w.foreignOfficial.token, "hide", reason)).status).toBe(403);
    const noReason = await moderate(id, w.official.token, "hide", "  ");
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].path).toBe("body.reason");
    const badAction = await moderate(id, w.official.token, "delete", reason);
    expect(badAction.status).toBe(400);

    const since = await cursorNow();
    const hidden = await moderate(id, w.official.token, "hide", reason);
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ status: "hidden", hiddenReason: reason });
    expect(hidden.body.text).toContain("0912");
    const own = await s.call("GET", `/v1/annotations/${id}`, { token: w.alice.token });
    expect(own.body).toMatchObject({ status: "hidden", hiddenReason: reason });
    const pulled = await s.call(
      "GET",
      `/v1/sync/pull?consultation=${w.consultationId}&since=${since}`,
    );
    expect(pulled.body.annotations.map((a: { id: string }) => a.id)).toContain(id);
    expect(pulled.body.annotations.find((a: { id: string }) => a.id === id).text).toBe("");

    const restored = await moderate(
      id,
      w.admin.token,
      "restore",
      "the number is the agency's hotline",
    );
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: "visible", hiddenReason: null });
    expect((await s.call("GET", `/v1/annotations/${id}`)).body.text).toContain("0912");

    const actions = await s.db
      .selectFrom("moderation_actions")
      .select(["action", "actor_id", "reason"])
      .where("annotation_id", "=", id)
      .orderBy("id")
      .execute();
    expect(actions).toEqual([
      { action: "hide", actor_id: w.official.user.id, reason },
      {
        action: "restore",
        actor_id: w.admin.user.id,
        reason: "the number is the agency's hotline",
      },
    ]);
    const audited = await s.db
      .selectFrom("audit_log")
      .select(["action", "actor_id"])
      .where("entity_id", "=", id)
      .orderBy("id")
      .execute();
    expect(audited).toEqual([
      { action: "annotation.hide", actor_id: w.official.user.id },
      { action: "annotation.restore", actor_id: w.admin.user.id },
    ]);
  });

  it("after a restore, only new flags count towards hiding it again", async () => {
    const id = await comment();
    for (const f of flaggers.slice(0, 3)) await flag(id, f.token);
    expect((await s.call("GET", `/v1/annotations/${id}`)).body.status).toBe("hidden");
    await moderate(id, w.official.token, "restore", "criticism is not abuse");
    const late = await flag(id, flaggers[3]?.token as string);
    expect(late.body).toMatchObject({ openFlags: 1, hidden: false });
    expect((await s.call("GET", `/v1/annotations/${id}`)).body.status).toBe("visible");
  });

  it("leaves comments on pages that are not consultations to administrators", async () => {
    const id = await comment(null);
    expect((await moderate(id, w.official.token, "hide", "spam")).status).toBe(403);
    const ok = await moderate(id, w.admin.token, "hide", "spam");
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe("hidden");
  });

  it("refuses to moderate or flag a withdrawn comment", async () => {
    const id = await comment();
    const gone = await s.call("DELETE", `/v1/annotations/${id}`, {
      token: w.alice.token,
      headers: { "if-match": '"1"' },
    });
    expect(gone.status).toBe(200);
    expect((await moderate(id, w.official.token, "hide", "x")).status).toBe(409);
    expect((await flag(id, w.bob.token)).status).toBe(409);
  });

  it("lists flagged and hidden comments with their flags for the agency's officials", async () => {
    const path = `/v1/consultations/${w.consultationId}/moderation`;
    expect((await s.call("GET", path)).status).toBe(401);
    expect((await s.call("GET", path, { token: w.bob.token })).status).toBe(403);
    expect((await s.call("GET", path, { token: w.foreignOfficial.token })).status).toBe(403);
    const admin = await s.call("GET", path, { token: w.admin.token });
    expect(admin.status).toBe(200);
    const res = await s.call("GET", path, { token: w.official.token });
    expect(res.status).toBe(200);
    const items = res.body.items as any[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    // Most open flags first; hidden ones with their reasons and decisions.
    expect(items[0].openFlags).toBe(4);
    expect(items[0].text).toBe("You are all idiots");
    expect(items[0].flags).toHaveLength(4);
    expect(items[0].flags[0]).toMatchObject({ reason: "abuse", resolvedAt: null });
    expect(items[0].actions[0]).toMatchObject({ action: "auto_hide", by: null });
    const phone = items.find((i) => i.text.includes("0912"));
    expect(phone).toBeUndefined(); // restored and no open flags: off the list
    const spam = items.find((i) =>
      i.flags.some((f: any) => f.note === "same text posted 40 times"),
    );
    expect(spam).toMatchObject({ status: "visible", openFlags: 1 });
    for (const i of items) expect(i.status === "hidden" || i.openFlags > 0).toBe(true);
  });
});
