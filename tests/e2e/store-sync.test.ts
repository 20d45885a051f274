/**
 * The store's sync engine (fake-indexeddb in Node) against the real service
 * process over HTTP: the two-device conflict and the exactly-once rule.
 */
import "fake-indexeddb/auto";
import {
  type Check,
  createApiClient,
  createMarginStore,
  createSyncEngine,
  itemsIn,
  openMarginDb,
  serviceChecks,
  zodChecks,
} from "@margin/store";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiClient } from "../support/client.ts";
import { type ServiceProcess, startService, tempDir } from "../support/service-process.ts";

describe("store ⇄ service sync over HTTP", () => {
  let s: ServiceProcess;
  const p = { consultationId: "", alice: { token: "" } };
  const api = apiClient(() => s.url);
  beforeAll(async () => {
    s = await startService({ MARGIN_DATA_DIR: tempDir("margin-store-sync-") });
    const reg = await api("POST", "/v1/auth/register", {
      email: "alice@example.test",
      password: "a long password",
      displayName: "Alice",
    });
    p.alice.token = reg.body.token;
    p.consultationId = (await api("GET", "/v1/consultations")).body.items[0].id;
  });
  afterAll(() => s?.stop());

  function client(name: string, token: string, check: Check = zodChecks) {
    const db = openMarginDb(`integration-${name}`);
    const api = createApiClient({ baseUrl: s.url, fetch, getToken: () => token, check });
    const engine = createSyncEngine({ db, api });
    const store = createMarginStore({ db, check });
    return { db, api, engine, store };
  }

  const comment = (paragraph: string, text: string) => ({
    consultationId: p.consultationId,
    target: {
      source: "https://gov.example/drafts/labor",
      selector: [
        { type: "TextQuoteSelector" as const, exact: `text of ${paragraph}` },
        { type: "ParagraphSelector" as const, key: paragraph },
      ],
    },
    text,
  });

  it("S1/S5: twelve offline comments reach the service exactly once, even when pushed twice", async () => {
    const alice = client("alice-12", p.alice.token);
    for (let i = 0; i < 12; i++)
      await alice.store.create(comment(`art-${i}`, `offline comment ${i}`));
    const mutations = (await alice.db.outbox.orderBy("seq").toArray()).map((r) => r.mutation);
    expect((await alice.engine.syncNow()).error).toBe(null);
    expect(await alice.db.outbox.count()).toBe(0);
    // A replay of the same batch (as after a lost answer) is answered, not applied again.
    const replay = await alice.api.push(mutations as never);
    expect(replay.ok && replay.value.results.every((r) => r.status === "applied")).toBe(true);
    const list = await alice.api.listAnnotations({ consultation: p.consultationId, limit: 500 });
    const mine = list.ok
      ? list.value.items.filter((a) => a.text.startsWith("offline comment"))
      : [];
    expect(mine).toHaveLength(12);
    alice.engine.dispose();
    alice.db.close();
  });

  it("S5: a long offline queue is acknowledged in bulk by the real service's answers, and reads as the service stored it", async () => {
    const bob = client("bob-120", p.alice.token, serviceChecks);
    for (let i = 0; i < 120; i++)
      await bob.store.create(comment(`art-${i % 9}`, `a long queue, comment ${i}`));
    const records = vi.spyOn(bob.db.acknowledged, "bulkAdd");
    const scope = { consultation: p.consultationId };
    bob.engine.watch(scope);
    expect((await bob.engine.syncNow()).error).toBe(null);
    // Every one was stored as sent: one record, no row written one by one.
    expect(records.mock.calls.flatMap(([rows]) => rows.flatMap((r) => r.ids))).toHaveLength(120);
    expect(await bob.db.acknowledged.count()).toBe(0);
    const mine = (await itemsIn(bob.db, scope)).filter((i) => i.text.startsWith("a long queue"));
    expect(mine).toHaveLength(120);
    expect(mine.every((i) => i.syncState === "synced" && i.revision === 1)).toBe(true);
    // The same as a new device pulls them.
    const fresh = client("bob-120-fresh", p.alice.token);
    fresh.engine.watch(scope);
    expect((await fresh.engine.syncNow()).error).toBe(null);
    const pulled = (await itemsIn(fresh.db, scope)).filter((i) =>
      i.text.startsWith("a long queue"),
    );
    expect(mine).toEqual(pulled);
    for (const c of [bob, fresh]) {
      c.engine.dispose();
      c.db.close();
    }
  });

  it("S6/S9/S10: a change made elsewhere conflicts with a pending edit; keepMine wins it back", async () => {
    const laptop = client("alice-laptop", p.alice.token);
    const phone = client("alice-phone", p.alice.token);
    const row = await laptop.store.create(comment("art-30", "original"));
    await laptop.engine.syncNow();
    phone.engine.watch({ consultation: p.consultationId });
    await phone.engine.syncNow();
    expect((await phone.db.annotations.get(row.id))?.syncState).toBe("synced");

    await phone.store.edit(row.id, { text: "from the phone" });
    await phone.engine.syncNow();
    await laptop.store.edit(row.id, { text: "from the laptop" });
    await laptop.engine.syncNow();
    const conflicted = await laptop.db.annotations.get(row.id);
    expect(conflicted?.syncState).toBe("conflict");
    expect(conflicted?.local?.text).toBe("from the laptop");
    expect(conflicted?.conflict?.server.text).toBe("from the phone");

    await laptop.store.keepMine(row.id);
    await laptop.engine.syncNow();
    expect((await laptop.db.annotations.get(row.id))?.syncState).toBe("synced");
    await phone.engine.syncNow();
    const onPhone = await phone.db.annotations.get(row.id);
    expect(onPhone?.server?.text).toBe("from the laptop");
    expect(onPhone?.server?.revision).toBe(3);
    for (const c of [laptop, phone]) {
      c.engine.dispose();
      c.db.close();
    }
  });

  it("S8: with the widget's checks (left to the service), a comment the service refuses keeps its text and the reason", async () => {
    const frame = client("alice-frame", p.alice.token, serviceChecks);
    const tooLong = "很長的意見。".repeat(2000);
    const row = await frame.store.create(comment("art-40", tooLong));
    const ok = await frame.store.create(comment("art-41", "  a fine comment  "));
    await frame.engine.syncNow();
    const refused = await frame.db.annotations.get(row.id);
    expect(refused?.syncState).toBe("rejected");
    expect(refused?.rejection?.code).toBe("validation_failed");
    expect(refused?.local?.text).toBe(tooLong);
    const stored = await frame.db.annotations.get(ok.id);
    expect(stored?.syncState).toBe("synced");
    expect(stored?.server?.text).toBe("a fine comment");
    frame.engine.dispose();
    frame.db.close();
  });
});
