import { type Locale, resolveLocale, theirVersionText, words } from "@margin/ui";
import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { MineItem, StatusView, UserView } from "../messages.ts";
import { type LocaleSetting, localeItem } from "../settings.ts";
import { originPattern } from "../sites.ts";
import { call } from "./call.ts";
import { type PageWords, pageWords } from "./page-words.ts";

/** The popup and the options page: one component, the options page shows more. */
export function ExtensionPage({
  kind,
  tabId,
}: {
  kind: "popup" | "options";
  tabId: number | null;
}) {
  const [setting, setSetting] = useState<LocaleSetting>("auto");
  const [status, setStatus] = useState<StatusView | null>(null);
  const [mine, setMine] = useState<MineItem[]>([]);
  const [message, setMessage] = useState("");
  const locale: Locale = resolveLocale(setting, navigator.languages ?? [navigator.language]);
  const t = pageWords(words[locale], locale);

  async function refresh() {
    const s = await call<StatusView>({ type: "status", tabId });
    if (s.ok) setStatus(s.value);
    const m = await call<MineItem[]>({ type: "mine.list" });
    if (m.ok) setMine(m.value);
  }
  useEffect(() => {
    void localeItem.getValue().then(setSetting);
    void refresh();
    const timer = setInterval(() => void refresh(), 3000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale === "zh-Hant" ? "zh-Hant-TW" : "en";
    document.title = kind === "options" ? `${t.margin} — ${t.options}` : t.margin;
  }, [locale]);

  return (
    <main class={kind}>
      <h1>{t.margin}</h1>
      <p role="status" class="message">
        {message}
      </p>
      {status && (
        <SyncLine
          t={t}
          status={status}
          onSync={async () => {
            await call({ type: "sync.now" });
            await refresh();
          }}
        />
      )}
      {status?.tab && <ThisSite t={t} status={status} onChange={refresh} setMessage={setMessage} />}
      {kind === "options" && status && (
        <ServiceUrl t={t} current={status.serviceUrl} onSaved={refresh} setMessage={setMessage} />
      )}
      {status && <Account t={t} user={status.user} onChange={refresh} setMessage={setMessage} />}
      {kind === "options" && status && (
        <Sites t={t} status={status} onChange={refresh} setMessage={setMessage} />
      )}
      <Mine
        t={t}
        items={mine}
        onResolve={async (id, keep) => {
          const res = await call({ type: "resolve", id, keep });
          setMessage(res.ok ? "" : res.error.message);
          await refresh();
        }}
      />
      <section aria-labelledby="lang-h">
        <h2 id="lang-h">{t.language}</h2>
        <label for="lang">{t.language}</label>{" "}
        <select
          id="lang"
          value={setting}
          onChange={(e) => {
            const v = e.currentTarget.value as LocaleSetting;
            setSetting(v);
            void localeItem.setValue(v);
          }}
        >
          <option value="auto">{t.langAuto}</option>
          <option value="zh-Hant">繁體中文</option>
          <option value="en">English</option>
        </select>
      </section>
      {kind === "popup" && (
        <p>
          <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
            {t.options}
          </button>
        </p>
      )}
    </main>
  );
}

function SyncLine({ t, status, onSync }: { t: PageWords; status: StatusView; onSync: () => void }) {
  const s = status.sync;
  return (
    <p class="sync">
      <span>{!s.online ? t.offline : s.pending > 0 ? t.pendingCount(s.pending) : t.allSynced}</span>{" "}
      <button type="button" onClick={onSync}>
        {t.syncNow}
      </button>
    </p>
  );
}

function ThisSite({
  t,
  status,
  onChange,
  setMessage,
}: {
  t: PageWords;
  status: StatusView;
  onChange: () => void;
  setMessage: (m: string) => void;
}) {
  const tab = status.tab;
  if (!tab) return null;
  const origin = tab.origin;
  return (
    <section aria-labelledby="site-h">
      <h2 id="site-h">{t.thisSite}</h2>
      {!origin ? (
        <p>{t.notAWebPage}</p>
      ) : (
        <>
          <p class="origin">{origin}</p>
          {tab.consultationTitle && <p>{t.consultationPage(tab.consultationTitle)}</p>}
          {tab.enabled ? (
            <>
              <p>{t.isOn}</p>
              <button
                type="button"
                onClick={async () => {
                  await call({ type: "site.disable", origin });
                  onChange();
                }}
              >
                {t.turnOff}
              </button>
            </>
          ) : (
            <button
              type="button"
              onClick={() => {
                // Asked inside the click: browsers grant permissions only on a user gesture.
                void browser.permissions
                  .request({ origins: [originPattern(origin)] })
                  .then(async (granted) => {
                    if (!granted) return setMessage(t.denied);
                    const r = await call({ type: "site.enable", tabId: tab.id });
                    setMessage(r.ok ? t.isOn : r.error.message);
                    onChange();
                  });
              }}
            >
              {t.turnOn}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ServiceUrl({
  t,
  current,
  onSaved,
  setMessage,
}: {
  t: PageWords;
  current: string;
  onSaved: () => void;
  setMessage: (m: string) => void;
}) {
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);
  return (
    <section aria-labelledby="svc-h">
      <h2 id="svc-h">{t.serviceUrl}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          let origin: string;
          try {
            origin = new URL(value).origin;
          } catch {
            return setMessage("URL?");
          }
          void browser.permissions
            .request({ origins: [originPattern(origin)] })
            .then(async (granted) => {
              if (!granted) return setMessage(t.denied);
              const r = await call({ type: "service.set", url: origin });
              setMessage(r.ok ? `${t.serviceUrl}: ${origin}` : r.error.message);
              onSaved();
            });
        }}
      >
        <label for="service-url">{t.serviceUrl}</label>{" "}
        <input
          id="service-url"
          type="url"
          required
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />{" "}
        <button type="submit">{t.save}</button>
      </form>
    </section>
  );
}

function Account({
  t,
  user,
  onChange,
  setMessage,
}: {
  t: PageWords;
  user: UserView | null;
  onChange: () => void;
  setMessage: (m: string) => void;
}) {
  const [mode, setMode] = useState<"login" | "register">("login");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  if (user) {
    return (
      <section aria-labelledby="acct-h">
        <h2 id="acct-h">{t.signedInAs(user.displayName)}</h2>
        <p>{user.email}</p>
        <button
          type="button"
          onClick={async () => {
            await call({ type: "auth.logout" });
            onChange();
          }}
        >
          {t.signOut}
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="acct-h">
      <h2 id="acct-h">{mode === "login" ? t.signIn : t.signUp}</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r =
            mode === "login"
              ? await call({ type: "auth.login", email, password })
              : await call({ type: "auth.register", email, password, displayName: name });
          if (!r.ok) setMessage(r.error.message);
          else {
            setMessage("");
            setPassword("");
          }
          onChange();
        }}
      >
        <p>
          <label for="email">{t.email}</label>
          <br />
          <input
            id="email"
            type="email"
            autocomplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </p>
        <p>
          <label for="password">{t.password}</label>
          <br />
          <input
            id="password"
            type="password"
            autocomplete={mode === "login" ? "current-password" : "new-password"}
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </p>
        {mode === "register" && (
          <p>
            <label for="display-name">{t.displayName}</label>
            <br />
            <input
              id="display-name"
              autocomplete="nickname"
              required
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </p>
        )}
        <button type="submit">{mode === "login" ? t.signIn : t.signUp}</button>{" "}
        <button
          type="button"
          class="link"
          onClick={() => setMode(mode === "login" ? "register" : "login")}
        >
          {mode === "login" ? t.signUp : t.signIn}
        </button>
      </form>
    </section>
  );
}

function Sites({
  t,
  status,
  onChange,
  setMessage,
}: {
  t: PageWords;
  status: StatusView;
  onChange: () => void;
  setMessage: (m: string) => void;
}) {
  return (
    <section aria-labelledby="sites-h">
      <h2 id="sites-h">{t.sites}</h2>
      <ul>
        {status.sites.map((s) => (
          <li key={s}>
            {s}{" "}
            <button
              type="button"
              aria-label={`${t.turnOff}: ${s}`}
              onClick={async () => {
                await call({ type: "site.disable", origin: s });
                onChange();
              }}
            >
              {t.turnOff}
            </button>
          </li>
        ))}
      </ul>
      {status.consultationOrigins.length > 0 && (
        <button
          type="button"
          onClick={() => {
            void browser.permissions
              .request({ origins: status.consultationOrigins.map(originPattern) })
              .then(async (granted) => {
                if (!granted) return setMessage(t.denied);
                await call({ type: "consultations.enable" });
                onChange();
              });
          }}
        >
          {t.allowConsultations} ({status.consultationOrigins.length})
        </button>
      )}
    </section>
  );
}

function Mine({
  t,
  items,
  onResolve,
}: {
  t: PageWords;
  items: MineItem[];
  onResolve: (id: string, keep: "mine" | "theirs") => void;
}) {
  return (
    <section aria-labelledby="mine-h">
      <h2 id="mine-h">{t.myComments}</h2>
      {items.length === 0 ? (
        <p>{t.noMine}</p>
      ) : (
        <ul class="mine">
          {items.map((m) => (
            <li key={m.id} data-id={m.id}>
              {m.quote && (
                <blockquote>
                  {m.quote.length > 120 ? `${m.quote.slice(0, 120)}…` : m.quote}
                </blockquote>
              )}
              <p class="text">{m.text}</p>
              <p class="meta">
                <span class={`state state-${m.syncState}`}>{t[m.syncState]}</span> ·{" "}
                <a href={m.source} target="_blank" rel="noreferrer">
                  {new URL(m.source).host}
                </a>
              </p>
              {m.rejection && <p class="error">{m.rejection}</p>}
              {m.conflict && (
                <p class="theirs">
                  {t.theirVersion}: {theirVersionText(t, m.conflict.theirs)}
                </p>
              )}
              {(m.syncState === "conflict" || m.syncState === "rejected") && (
                <p>
                  <button type="button" onClick={() => onResolve(m.id, "mine")}>
                    {t.keepMine}
                  </button>{" "}
                  <button type="button" onClick={() => onResolve(m.id, "theirs")}>
                    {t.takeTheirs}
                  </button>
                </p>
              )}
              {m.responses.map((r) => (
                <div key={r.id} class="response">
                  <strong>
                    {t.officialResponse} · {t.disposition[r.disposition] ?? r.disposition} ·{" "}
                    {r.official}
                  </strong>
                  <p class="text">{r.text}</p>
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
