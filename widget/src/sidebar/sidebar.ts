import {
  browserConnectivity,
  type Carried,
  carriedInto,
  createApiClient,
  createMarginStore,
  createSyncEngine,
  dbNameFor,
  liveRows,
  liveSignal,
  type NewAnnotation,
  openMarginDb,
  requestPersistentStorage,
  serviceChecks,
  webLock,
} from "@margin/store";
import {
  applyOwnChange,
  type Draft,
  type ItemView,
  itemView,
  type Locale,
  type OwnActions,
  type OwnChange,
  type Result,
  repliesByParent,
  responseView,
  syncView,
} from "@margin/ui";
import { computed, signal } from "@preact/signals";
import type { Target, ToFrame, ToPage } from "../protocol.ts";
import { frameWords } from "./frame-words.ts";
import { loadSession, type Session, saveSession } from "./session.ts";
import type { FrameStorage } from "./storage.ts";

export type View = { kind: "all" } | { kind: "paragraph"; key: string; label: string };

const fail = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

/**
 * Everything the sidebar knows and does: the reader's session, the offline
 * store and its sync with the service (this frame's own origin), the
 * consultation's comments and official answers, and what the page asked to
 * show. Components read its signals; only clicks in this frame write.
 */
export function createSidebar(
  win: Window & typeof globalThis,
  storage: FrameStorage,
  consultationId: string,
  lang: Locale,
) {
  const t = frameWords(lang);
  const baseUrl = win.location.origin;
  const db = openMarginDb(dbNameFor(baseUrl), storage.dexie);
  const session = signal<Session | null>(loadSession(storage.session));
  const api = createApiClient({
    baseUrl,
    fetch: (input, init) => win.fetch(input, init),
    getToken: () => session.value?.token ?? null,
    // The frame is served by the service it talks to: the service checks (see checks.ts).
    check: serviceChecks,
  });
  const store = createMarginStore({ db, check: serviceChecks });
  const engine = createSyncEngine({
    db,
    api,
    connectivity: browserConnectivity(win),
    // Two pages of the same site share the database: one sync at a time. (A frame denied
    // storage is denied locks too, and has its database to itself.)
    ...(storage.persistent ? { withLock: webLock(`margin-sync:${baseUrl}`, win.navigator) } : {}),
    intervalMs: 30_000,
  });
  const scope = { consultation: consultationId };
  const rows = liveRows(db, scope);
  const responseRows = liveSignal(
    () => db.responses.where("consultationId").equals(consultationId).toArray(),
    [],
  );
  const title = signal<string | null>(null);
  const view = signal<View>({ kind: "all" });
  const target = signal<Target | null>(null);
  const orphans = signal<ReadonlySet<string>>(new Set());
  const announcement = signal("");
  const persisted = signal<string | null>(null);
  /** What the current draft version did to each comment carried over from the one before. */
  const carried = signal<ReadonlyMap<string, Carried>>(new Map());

  const user = computed(() => session.value?.user ?? null);
  const items = computed(() => rows.value.value.map((r) => itemView(r, user.value)));
  const responses = computed(() => responseRows.value.value.map(responseView));
  const topLevel = computed(() => items.value.filter((i) => i.parentId === null));
  const sync = computed(() => {
    void engine.status.value;
    return syncView(engine);
  });
  /** Public comments the page should place: visible ones that reached the service. */
  const placed = computed(() =>
    topLevel.value
      .filter((i) => i.status === "visible" || i.mine)
      .map((i) => ({ id: i.id, selectors: i.selectors, paragraphKey: i.paragraphKey })),
  );

  const replies = computed(() => repliesByParent(items.value));
  const repliesOf = (id: string): ItemView[] => replies.value.get(id) ?? [];

  function announce(text: string) {
    announcement.value = "";
    win.setTimeout(() => {
      announcement.value = text;
    }, 50);
  }

  function onPage(msg: ToFrame) {
    if (msg.type === "margin:anchored") orphans.value = new Set(msg.orphans);
    else if (msg.type === "margin:compose") {
      target.value = msg.target;
      view.value = msg.target.paragraphKey
        ? { kind: "paragraph", key: msg.target.paragraphKey, label: msg.target.label ?? "" }
        : { kind: "all" };
    } else {
      target.value = null;
      view.value = msg.paragraph ? { kind: "paragraph", ...msg.paragraph } : { kind: "all" };
    }
  }

  async function send(draft: Draft): Promise<Result<{ id: string }>> {
    const to = target.value;
    if (!to) return fail("no_target", t.quoted);
    const res = await keep({
      target: { source: to.source, selector: to.selectors },
      parentId: null,
      motivation: draft.motivation,
      text: draft.text,
      suggestion: draft.motivation === "editing" ? draft.suggestion : null,
      stance: draft.stance,
    });
    if (res.ok) target.value = null;
    return res;
  }

  /** A reply lives where its comment lives; the service places it there whatever is sent. */
  function reply(item: ItemView, text: string): Promise<Result<{ id: string }>> {
    return keep({
      target: { source: item.source, selector: item.selectors },
      parentId: item.id,
      motivation: "replying",
      text,
      suggestion: null,
      stance: "neutral",
    });
  }

  /** Keeps a new comment or reply in the store (offline first), says so, and syncs. */
  async function keep(
    input: Omit<NewAnnotation, "consultationId">,
  ): Promise<Result<{ id: string }>> {
    try {
      const row = await store.create({ consultationId, ...input });
      announce(sync.value.online && user.value ? t.saved : t.savedOffline);
      void engine.syncNow({ force: true });
      return { ok: true, value: { id: row.id } };
    } catch (e) {
      return fail("validation_failed", e instanceof Error ? e.message : String(e));
    }
  }

  /** A change to the person's own comment, kept offline first and then synced. */
  async function change(c: OwnChange): Promise<Result<null>> {
    const res = await applyOwnChange(store, c);
    if (res.ok) void engine.syncNow({ force: true });
    return res;
  }

  const own: OwnActions = {
    onEdit: (item, text) => change({ type: "edit", id: item.id, text }),
    onWithdraw: (item) => change({ type: "withdraw", id: item.id }),
    onResolve: (item, keep) => change({ type: "resolve", id: item.id, keep }),
  };

  function endorse(item: ItemView) {
    void store
      .endorse(item.id, item.myEndorsement === "agree" ? null : "agree")
      .then(() => engine.syncNow({ force: true }));
  }

  async function signIn(
    mode: "login" | "register",
    input: { email: string; password: string; displayName: string },
  ): Promise<Result<null>> {
    const res =
      mode === "login"
        ? await api.login({ email: input.email, password: input.password })
        : await api.register(input);
    if (!res.ok) {
      const detail = res.error.details?.map((d) => d.message).join("; ");
      return fail(res.error.code, detail ? `${res.error.message} (${detail})` : res.error.message);
    }
    const s: Session = {
      token: res.value.token,
      expiresAt: res.value.expiresAt,
      user: {
        id: res.value.user.id,
        displayName: res.value.user.displayName,
        email: res.value.user.email,
      },
    };
    saveSession(storage.session, s);
    session.value = s;
    void engine.syncNow({ force: true });
    return { ok: true, value: null };
  }

  async function signOut() {
    await api.logout();
    saveSession(storage.session, null);
    session.value = null;
  }

  const stops: Array<() => void> = [];
  return {
    t,
    lang,
    persistent: storage.persistent,
    carried,
    consultationId,
    title,
    view,
    target,
    orphans,
    announcement,
    persisted,
    user,
    items,
    topLevel,
    responses,
    sync,
    placed,
    repliesOf,
    onPage,
    send,
    reply,
    endorse,
    own,
    signIn,
    signOut,
    syncNow: () => engine.syncNow({ force: true }),
    async start(post: (m: ToPage) => void) {
      stops.push(engine.watch(scope), engine.start());
      const c = await api.getConsultation(consultationId);
      if (c.ok) {
        title.value = c.value.title;
        const v = c.value.currentVersion;
        if (v !== null) carried.value = await carriedInto(api, consultationId, v);
      }
      persisted.value = storage.persistent
        ? await requestPersistentStorage(win.navigator)
        : "memory";
      post({ type: "margin:ready" });
    },
    dispose() {
      for (const s of stops.splice(0)) s();
      rows.dispose();
      responseRows.dispose();
      engine.dispose();
      db.close();
    },
  };
}

export type Sidebar = ReturnType<typeof createSidebar>;
