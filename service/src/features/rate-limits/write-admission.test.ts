import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/connect.ts";
import { backends, freshDatabase } from "../../test/backends.ts";
import { citizensWithSessions } from "../../test/harness.ts";
import { endSession, startSession } from "../auth/sessions.repository.ts";
import { hitMany } from "./rate-limits.repository.ts";
import { accountKey, admitWrites, type WriteToAdmit } from "./write-admission.ts";

describe.each(backends)("admitting writes in one statement (%s)", (kind) => {
  let db: Db;
  let close: () => Promise<void>;
  const now = new Date("2026-12-01T10:00:30Z");
  let ann: { id: string; token: string };
  let bob: { id: string; token: string };
  let expired: { id: string; token: string };
  beforeAll(async () => {
    const h = await freshDatabase(kind);
    db = h.db;
    close = h.close;
    [ann, bob] = (await citizensWithSessions(db, 2, {
      prefix: "admit",
      expiresAt: new Date(now.getTime() + 86_400_000),
    })) as [typeof ann, typeof bob];
    [expired] = (await citizensWithSessions(db, 1, {
      prefix: "admit-expired",
      expiresAt: new Date(now.getTime() - 1000),
    })) as [typeof expired];
  });
  afterAll(() => close());

  const write = (token: string | null, ip: string, at = now): WriteToAdmit => ({
    token,
    keys: [{ key: `w:ip:${ip}`, seconds: 60 }],
    accountSeconds: 60,
    now: at,
  });
  const counts = (a: { hits: { key: string; hits: number }[] } | undefined) =>
    Object.fromEntries((a?.hits ?? []).map((h) => [h.key, h.hits]));

  it("counts each write against its address and its account, in order, as one after another", async () => {
    const annAgain = await startSession(db, ann.id, now, 30);
    const [first, second, third, anonymous] = await admitWrites(db, [
      write(ann.token, "10.0.0.1"),
      write(bob.token, "10.0.0.1"),
      write(annAgain.token, "10.0.0.2"),
      write(null, "10.0.0.1"),
    ]);
    expect(first?.session).toMatchObject({ ok: true, user: { id: ann.id } });
    expect(second?.session).toMatchObject({ ok: true, user: { id: bob.id } });
    // Two sign-ins of one person are one account.
    expect(third?.session).toMatchObject({ ok: true, user: { id: ann.id } });
    expect(anonymous?.session).toBeNull();
    expect(counts(first)).toEqual({ "w:ip:10.0.0.1": 1, [accountKey(ann.id)]: 1 });
    expect(counts(second)).toEqual({ "w:ip:10.0.0.1": 2, [accountKey(bob.id)]: 1 });
    expect(counts(third)).toEqual({ "w:ip:10.0.0.2": 1, [accountKey(ann.id)]: 2 });
    expect(counts(anonymous)).toEqual({ "w:ip:10.0.0.1": 3 });
    // The same counters the other limits read.
    const [again] = await hitMany(db, [
      {
        keys: [
          { key: "w:ip:10.0.0.1", seconds: 60 },
          { key: accountKey(ann.id), seconds: 60 },
        ],
        now,
      },
    ]);
    expect(again?.map((h) => h.hits)).toEqual([4, 3]);
  });

  it("refuses tokens that are unknown, signed out or expired, still counting their address", async () => {
    const signedOut = await startSession(db, bob.id, now, 30);
    await endSession(db, signedOut.token, now);
    const answers = await admitWrites(db, [
      write("mgn_not-a-token", "10.9.0.1"),
      write(signedOut.token, "10.9.0.1"),
      write(expired.token, "10.9.0.1"),
    ]);
    expect(answers.map((a) => a.session)).toEqual([
      { ok: false, reason: "this session is not valid; sign in again" },
      { ok: false, reason: "this session is not valid; sign in again" },
      { ok: false, reason: "this session has expired; sign in again" },
    ]);
    expect(answers.map(counts)).toEqual([
      { "w:ip:10.9.0.1": 1 },
      { "w:ip:10.9.0.1": 2 },
      { "w:ip:10.9.0.1": 3 },
    ]);
    const accounts = await db
      .selectFrom("rate_limits")
      .select("key")
      .where("key", "in", [accountKey(bob.id), accountKey(expired.id)])
      .execute();
    // Bob's count is only from the first test's one write; the expired session's person has none.
    expect(accounts.map((r) => r.key)).toEqual([accountKey(bob.id)]);
  });

  it("starts a new window when the old one has ended", async () => {
    const later = new Date(now.getTime() + 60_000);
    const [a] = await admitWrites(db, [write(ann.token, "10.0.0.1", later)]);
    expect(counts(a)).toEqual({ "w:ip:10.0.0.1": 1, [accountKey(ann.id)]: 1 });
  });
});
