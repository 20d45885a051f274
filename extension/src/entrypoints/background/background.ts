import { UrlPatternListSchema } from "@margin/model";
import { type AnnotationRow, liveRows, liveSignal, type Scope } from "@margin/store";
import { applyOwnChange, itemView, type OwnChange, responseView, syncView } from "@margin/ui";
import { type Browser, browser } from "wxt/browser";
import {
  type ContentRequest,
  ContentRequestSchema,
  type ItemView,
  type MineItem,
  type PageInfo,
  type PageRequest,
  PageRequestSchema,
  type PageState,
  type Result,
  type StatusView,
  type UserView,
} from "../../shared/messages.ts";
import { type PageUpdate, rowsChanged } from "../../shared/page-updates.ts";
import { PAGE_PORT } from "../../shared/ports.ts";
import { enabledSitesItem, patternsItem, serviceUrlItem } from "../../shared/settings.ts";
import { originOf } from "../../shared/sites.ts";
import { dropCredential, saveCredential } from "./credentials.ts";
import { type PageScope, scopeOfPage } from "./pages.ts";
import { consultationOrigins, injectInto, permitted, syncRegistration } from "./registration.ts";
import { createServiceRuntime, type ServiceRuntime } from "./service.ts";

const SYNC_ALARM = "margin-sync";
const PATTERNS_ALARM = "margin-patterns";
const PATTERNS_MAX_AGE = 6 * 3600_000;

type Sender = Browser.runtime.MessageSender;

const fail = (code: string, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/**
 * The background owns the credential, the database and every network call.
 * Content scripts and the extension's pages talk to it only through the typed
 * messages in shared/messages.ts, each checked here.
 */
export function startBackground() {
  let runtime: ServiceRuntime | null = null;
  let runtimeFor = "";

  async function rt(): Promise<ServiceRuntime> {
    const url = await serviceUrlItem.getValue();
    if (!runtime || runtimeFor !== url) {
      runtime?.dispose();
      runtime = createServiceRuntime(url);
      runtimeFor = url;
    }
    return runtime;
  }

  async function currentUser(): Promise<UserView | null> {
    return (await (await rt()).credential())?.user ?? null;
  }

  async function refreshPatterns(force = false): Promise<void> {
    const r = await rt();
    const cache = await patternsItem.getValue();
    if (
      !force &&
      cache &&
      cache.serviceUrl === r.baseUrl &&
      Date.now() - cache.fetchedAt < PATTERNS_MAX_AGE
    )
      return;
    const res = await r.api.urlPatterns();
    if (!res.ok) return;
    const list = UrlPatternListSchema.parse(res.value);
    await patternsItem.setValue({
      fetchedAt: Date.now(),
      serviceUrl: r.baseUrl,
      consultations: list.consultations,
    });
    await syncRegistration().catch(() => {});
  }

  async function pageOf(url: string | undefined): Promise<PageScope | null> {
    if (!url) return null;
    return scopeOfPage(url, await patternsItem.getValue(), await enabledSitesItem.getValue());
  }

  function scopeFor(page: PageScope): Scope {
    return page.consultation ? { consultation: page.consultation.id } : { source: page.source };
  }

  async function pageInfo(page: PageScope | null): Promise<PageInfo> {
    const active = Boolean(page && (page.consultation || page.siteEnabled));
    return {
      active,
      reason: page?.consultation ? "consultation" : page?.siteEnabled ? "site" : null,
      consultationId: page?.consultation?.id ?? null,
      consultationTitle: page?.consultation?.title ?? null,
      source: page?.source ?? "",
      user: await currentUser(),
    };
  }

  // ---- content scripts ----

  async function handleContent(msg: ContentRequest, sender: Sender): Promise<Result<unknown>> {
    if (msg.type === "page.hello") {
      await refreshPatterns().catch(() => {});
      return ok(await pageInfo(await pageOf(sender.url)));
    }
    if (msg.type === "open.options") {
      await browser.runtime.openOptionsPage();
      return ok(null);
    }
    const page = await pageOf(sender.url);
    if (!page || !(page.consultation || page.siteEnabled))
      return fail("not_enabled", "Margin is not turned on for this page");
    const r = await rt();
    if (msg.type === "sync.now") {
      void r.engine.syncNow({ force: true });
      return ok(null);
    }
    if (msg.type === "annotation.endorse") {
      const row = await r.db.annotations.get(msg.id);
      if (!row || !sameScope(row, page)) return fail("not_found", "no such comment on this page");
      await r.store.endorse(msg.id, msg.kind);
      void r.engine.syncNow({ force: true });
      return ok(null);
    }
    if (msg.type === "annotation.own") {
      const row = await r.db.annotations.get(msg.change.id);
      if (!row || !sameScope(row, page)) return fail("not_found", "no such comment on this page");
      return change(r, msg.change);
    }
    // annotation.create
    let target = { source: page.source, selector: msg.selectors };
    if (msg.parentId) {
      const parent = await r.db.annotations.get(msg.parentId);
      if (!parent || !sameScope(parent, page))
        return fail("not_found", "no such comment to reply to");
      target = parent.target as typeof target;
    }
    try {
      const row = await r.store.create({
        consultationId: page.consultation?.id ?? null,
        target,
        parentId: msg.parentId,
        motivation: msg.parentId
          ? "replying"
          : msg.motivation === "replying"
            ? "commenting"
            : msg.motivation,
        text: msg.text,
        suggestion: msg.motivation === "editing" ? msg.suggestion : null,
        stance: msg.stance,
      });
      void r.engine.syncNow({ force: true });
      return ok({ id: row.id });
    } catch (e) {
      return fail("validation_failed", e instanceof Error ? e.message : String(e));
    }
  }

  /** A change to the person's own comment, kept first and then synced. */
  async function change(r: ServiceRuntime, c: OwnChange): Promise<Result<null>> {
    const res = await applyOwnChange(r.store, c);
    if (res.ok) void r.engine.syncNow({ force: true });
    return res;
  }

  function sameScope(row: AnnotationRow, page: PageScope): boolean {
    return page.consultation
      ? row.consultationId === page.consultation.id
      : row.consultationId === null && row.target.source === page.source;
  }

  // ---- the page's live port ----

  function onPort(port: Browser.runtime.Port) {
    if (port.name !== PAGE_PORT) return;
    const sender = port.sender;
    if (!sender || sender.id !== browser.runtime.id || !sender.tab || !sender.url) {
      port.disconnect();
      return;
    }
    const cleanups: Array<() => void> = [];
    let closed = false;
    port.onDisconnect.addListener(() => {
      closed = true;
      for (const c of cleanups.splice(0)) c();
    });
    void (async () => {
      const page = await pageOf(sender.url);
      if (closed || !page || !(page.consultation || page.siteEnabled)) return;
      const r = await rt();
      const scope = scopeFor(page);
      cleanups.push(r.engine.watch(scope));
      let user = await currentUser();
      // A page's rows are read once, then only the ones each write touches (liveRows).
      const rows = liveRows(r.db, scope);
      const responses = liveSignal<PageState["responses"]>(
        async () =>
          "consultation" in scope
            ? (
                await r.db.responses.where("consultationId").equals(scope.consultation).toArray()
              ).map(responseView)
            : [],
        [],
      );
      cleanups.push(rows.dispose, responses.dispose);
      let carried: PageState["carried"] = {};
      const send = (update: PageUpdate) => {
        if (closed || !rows.ready.value) return;
        try {
          port.postMessage(update);
        } catch {
          closed = true;
        }
      };
      const pageRows = () =>
        "consultation" in scope
          ? rows.value.value
          : rows.value.value.filter((x) => x.consultationId === null);
      /** The rows the page has, as sent: after a write, only rows that are not these objects go. */
      let sent: Map<string, AnnotationRow> | null = null;
      /** The whole state: first, and when the person changes (every comment's "mine" with it). */
      const postAll = () => {
        if (closed || !rows.ready.value) return;
        const mine = pageRows();
        sent = new Map(mine.map((row) => [row.id, row]));
        send({
          items: mine.map((row) => itemView(row, user)),
          responses: responses.value.value,
          carried,
          sync: syncView(r.engine),
          user,
        });
      };
      const postRows = () => {
        if (sent === null) return postAll();
        const { changed, removed, now } = rowsChanged(sent, pageRows());
        sent = now;
        if (changed.length > 0 || removed.length > 0)
          send({ changed: changed.map((row) => itemView(row, user)), removed });
      };
      cleanups.push(
        rows.value.subscribe(postRows),
        responses.value.subscribe((list) => send({ responses: list })),
        r.engine.status.subscribe(() => send({ sync: syncView(r.engine) })),
      );
      const onUser = async () => {
        user = await currentUser();
        postAll();
      };
      userListeners.add(onUser);
      cleanups.push(() => userListeners.delete(onUser));
      void r.engine.syncNow({ force: true });
      if ("consultation" in scope)
        void r.revisionNotes(scope.consultation).then((notes) => {
          carried = Object.fromEntries(notes);
          if (notes.size > 0) send({ carried });
        });
    })();
  }

  const userListeners = new Set<() => void>();

  // ---- popup and options ----

  async function status(tabId: number | null): Promise<StatusView> {
    const r = await rt();
    let tab: StatusView["tab"] = null;
    if (tabId !== null) {
      const t = await browser.tabs.get(tabId).catch(() => null);
      const url = t?.url ?? null;
      const origin = url ? originOf(url) : null;
      const page = url ? await pageOf(url) : null;
      tab = {
        id: tabId,
        url,
        origin,
        consultationTitle: page?.consultation?.title ?? null,
        enabled: Boolean(page?.siteEnabled),
        permitted: origin ? await permitted(origin) : false,
      };
    }
    return {
      serviceUrl: r.baseUrl,
      user: await currentUser(),
      sync: syncView(r.engine),
      tab,
      sites: await enabledSitesItem.getValue(),
      consultationOrigins: await consultationOrigins(),
    };
  }

  async function mine(): Promise<MineItem[]> {
    const r = await rt();
    const user = await currentUser();
    const rows = await r.db.annotations.toArray();
    const responses = await r.db.responses.toArray();
    const out: MineItem[] = [];
    for (const row of rows) {
      const v: ItemView = itemView(row, user);
      if (!v.mine) continue;
      const quote = v.selectors.find((s) => s.type === "TextQuoteSelector");
      out.push({
        id: v.id,
        source: v.source,
        quote: quote && "exact" in quote ? quote.exact : null,
        text: v.text,
        syncState: v.syncState,
        rejection: v.rejection,
        conflict: v.conflict,
        created: v.created,
        responses: responses
          .filter(
            (x) =>
              x.annotationId === v.id ||
              (x.targetType === "cluster" && v.pointId !== null && x.targetId === v.pointId),
          )
          .map(responseView),
      });
    }
    return out.sort((a, b) => (b.created ?? "\uffff").localeCompare(a.created ?? "\uffff"));
  }

  async function signedIn(session: {
    token: string;
    expiresAt: string;
    user: { id: string; displayName: string; email: string };
  }) {
    const r = await rt();
    const c = {
      service: new URL(r.baseUrl).origin,
      token: session.token,
      expiresAt: session.expiresAt,
      user: {
        id: session.user.id,
        displayName: session.user.displayName,
        email: session.user.email,
      },
    };
    await saveCredential(c);
    r.setCredential(c);
    for (const l of userListeners) l();
    void r.engine.syncNow({ force: true });
    return c.user;
  }

  async function handlePage(msg: PageRequest): Promise<Result<unknown>> {
    const r = await rt();
    switch (msg.type) {
      case "status":
        return ok(await status(msg.tabId));
      case "auth.login": {
        const res = await r.api.login({ email: msg.email, password: msg.password });
        if (!res.ok) return fail(res.error.code, res.error.message);
        return ok(await signedIn(res.value));
      }
      case "auth.register": {
        const res = await r.api.register({
          email: msg.email,
          password: msg.password,
          displayName: msg.displayName,
        });
        if (!res.ok) {
          const detail = res.error.details?.map((d) => `${d.path}: ${d.message}`).join("; ");
          return fail(
            res.error.code,
            detail ? `${res.error.message} (${detail})` : res.error.message,
          );
        }
        return ok(await signedIn(res.value));
      }
      case "auth.logout": {
        await r.api.logout();
        await dropCredential(new URL(r.baseUrl).origin);
        r.setCredential(null);
        for (const l of userListeners) l();
        return ok(null);
      }
      case "service.set": {
        let url: URL;
        try {
          url = new URL(msg.url);
        } catch {
          return fail("validation_failed", "not a URL");
        }
        if (url.protocol !== "http:" && url.protocol !== "https:")
          return fail("validation_failed", "use an http(s) address");
        await serviceUrlItem.setValue(url.origin);
        await rt();
        await refreshPatterns(true).catch(() => {});
        await syncRegistration().catch(() => {});
        return ok(await status(null));
      }
      case "site.enable": {
        const tab = await browser.tabs.get(msg.tabId).catch(() => null);
        const origin = tab?.url ? originOf(tab.url) : null;
        if (!origin) return fail("not_found", "this tab has no web page");
        if (!(await permitted(origin)))
          return fail("forbidden", "the browser did not grant access to this site");
        const sites = await enabledSitesItem.getValue();
        if (!sites.includes(origin)) await enabledSitesItem.setValue([...sites, origin].sort());
        await syncRegistration();
        await injectInto(msg.tabId).catch(() => {});
        return ok(null);
      }
      case "site.disable": {
        const origin = originOf(msg.origin);
        const sites = await enabledSitesItem.getValue();
        await enabledSitesItem.setValue(sites.filter((s) => s !== origin));
        await syncRegistration();
        return ok(null);
      }
      case "consultations.enable":
        await refreshPatterns(true).catch(() => {});
        return ok(await syncRegistration());
      case "mine.list":
        return ok(await mine());
      case "sync.now":
        return ok(await r.engine.syncNow({ force: true }).then(() => syncView(r.engine)));
      case "resolve":
        return change(r, { type: "resolve", id: msg.id, keep: msg.keep });
    }
  }

  function isExtensionPage(sender: Sender): boolean {
    // The background runs on the extension's own origin; its pages share it.
    return Boolean(sender.url && new URL(sender.url).origin === globalThis.location.origin);
  }

  async function handle(message: unknown, sender: Sender): Promise<Result<unknown>> {
    if (sender.id !== browser.runtime.id) return fail("forbidden", "unknown sender");
    if (isExtensionPage(sender)) {
      const p = PageRequestSchema.safeParse(message);
      if (!p.success) return fail("validation_failed", p.error.issues[0]?.message ?? "bad request");
      return handlePage(p.data);
    }
    if (!sender.tab || !sender.url) return fail("forbidden", "not from a tab");
    const p = ContentRequestSchema.safeParse(message);
    if (!p.success) return fail("validation_failed", p.error.issues[0]?.message ?? "bad request");
    return handleContent(p.data, sender);
  }

  browser.runtime.onMessage.addListener((message: unknown, sender: Sender, sendResponse) => {
    handle(message, sender).then(sendResponse, (e: unknown) =>
      sendResponse(fail("internal", e instanceof Error ? e.message : String(e))),
    );
    return true;
  });
  browser.runtime.onConnect.addListener(onPort);

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void rt().then((r) => r.engine.syncNow());
    if (alarm.name === PATTERNS_ALARM) void refreshPatterns(true).catch(() => {});
  });
  void browser.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
  void browser.alarms.create(PATTERNS_ALARM, { periodInMinutes: 360 });
  browser.permissions.onAdded?.addListener(() => void syncRegistration().catch(() => {}));
  browser.permissions.onRemoved?.addListener(() => void syncRegistration().catch(() => {}));
  browser.runtime.onStartup.addListener(() => void syncRegistration().catch(() => {}));
  browser.runtime.onInstalled.addListener(() => {
    void refreshPatterns(true)
      .catch(() => {})
      .then(() => syncRegistration())
      .catch(() => {});
  });
  // Sync whatever waited while the worker slept.
  void rt().then((r) => r.engine.syncNow());
}
