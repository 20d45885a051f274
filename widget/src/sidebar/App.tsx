import {
  CommentItem,
  Composer,
  type ItemView,
  LatestItems,
  OfficialResponse,
  responsesFor,
  revisedFrom,
} from "@margin/ui";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ToPage } from "../protocol.ts";
import type { Sidebar } from "./sidebar.ts";

/** The sidebar: account, the composer for the words picked on the page, threads and answers. */
export function App({ s, post }: { s: Sidebar; post: (m: ToPage) => void }) {
  const t = s.t;
  const view = s.view.value;
  const target = s.target.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const viewKey = view.kind === "paragraph" ? view.key : "all";
  useEffect(() => {
    if (!s.target.value) heading.current?.focus();
  }, [viewKey]);
  const removed = (i: ItemView) => s.carried.value.get(i.id)?.status === "orphaned";
  const orphaned = (i: ItemView) => s.orphans.value.has(i.id) && !removed(i);
  const items =
    view.kind === "paragraph"
      ? s.topLevel.value.filter((i) => i.paragraphKey === view.key && !orphaned(i) && !removed(i))
      : s.topLevel.value.filter((i) => !orphaned(i) && !removed(i));
  const orphans = view.kind === "all" ? s.topLevel.value.filter(orphaned) : [];
  const gone = view.kind === "all" ? s.topLevel.value.filter(removed) : [];
  const title = view.kind === "paragraph" ? t.paragraphThread(view.label) : t.allComments;
  const paragraphResponses =
    view.kind === "paragraph" ? s.responses.value.filter((r) => r.paragraphKey === view.key) : [];
  const sync = s.sync.value;
  const [account, setAccount] = useState(false);
  const close = () => post({ type: "margin:close" });

  const item = (i: ItemView) => (
    <CommentItem
      key={i.id}
      t={t}
      item={i}
      replies={s.repliesOf(i.id)}
      responses={responsesFor(s.responses.value, i)}
      active={false}
      onEndorse={s.endorse}
      onShowInText={
        orphaned(i) || removed(i) ? null : (x) => post({ type: "margin:show", id: x.id })
      }
      revisedFrom={revisedFrom(s.carried.value.get(i.id))}
      own={s.own}
      onReply={s.reply}
    />
  );

  return (
    <main
      class="panel"
      aria-label={t.panelLabel}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          close();
        }
      }}
    >
      <header>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {view.kind === "paragraph" && (
          <button
            type="button"
            class="plain"
            onClick={() => {
              s.view.value = { kind: "all" };
              s.target.value = null;
            }}
          >
            {t.allComments}
          </button>
        )}
        <button type="button" class="plain" onClick={close}>
          {t.close}
        </button>
      </header>
      <div class="body">
        {/* There from the first render, one line high: the title arriving must not move the
            form under the reader's pointer. */}
        <p class="note consultation">{s.title.value ? t.consultationPage(s.title.value) : ""}</p>
        {!s.persistent && (
          <p class="note memory" role="note">
            {t.memoryOnly}
          </p>
        )}
        <Account
          s={s}
          open={account || Boolean(target && !s.user.value)}
          onDone={() => setAccount(false)}
        />
        {!s.user.value && !account && !target && (
          <button type="button" class="link" onClick={() => setAccount(true)}>
            {t.signIn}
          </button>
        )}
        {target && (
          <Composer
            t={t}
            quote={target.quote}
            signedIn={Boolean(s.user.value)}
            onSignIn={() => setAccount(true)}
            onSend={(d) => s.send(d)}
            onCancel={() => {
              s.target.value = null;
            }}
          />
        )}
        {paragraphResponses.map((r) => (
          <OfficialResponse key={r.id} t={t} response={r} />
        ))}
        {items.length === 0 && !target && <p class="note">{t.noComments}</p>}
        {items.length > 0 && (
          <LatestItems key={viewKey} t={t} label={title} items={items} render={item} />
        )}
        {gone.length > 0 && (
          <section aria-labelledby="removed-h">
            <h2 id="removed-h">{t.removedInRevision}</h2>
            <LatestItems t={t} label={t.removedInRevision} items={gone} render={item} />
          </section>
        )}
        {orphans.length > 0 && (
          <section aria-labelledby="orphans-h">
            <h2 id="orphans-h">{t.orphans}</h2>
            <p class="note">{t.orphanNote}</p>
            <LatestItems t={t} label={t.orphans} items={orphans} render={item} />
          </section>
        )}
      </div>
      <div class="sync" role="status">
        {!sync.online ? t.offline : sync.pending > 0 ? t.pendingCount(sync.pending) : t.allSynced}
      </div>
      <div class="sr-only" role="status" aria-live="polite">
        {s.announcement.value}
      </div>
    </main>
  );
}

/** Who is signed in, or the form to sign in or sign up, inside the frame only. */
function Account({ s, open, onDone }: { s: Sidebar; open: boolean; onDone: () => void }) {
  const t = s.t;
  const [mode, setMode] = useState<"login" | "register">("login");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const user = s.user.value;
  if (user)
    return (
      <p class="note account">
        {t.signedInAs(user.displayName)}{" "}
        <button type="button" class="link" onClick={() => void s.signOut()}>
          {t.signOut}
        </button>
      </p>
    );
  if (!open) return null;
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    const res = await s.signIn(mode, {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      displayName: String(form.get("displayName") ?? ""),
    });
    setBusy(false);
    if (res.ok) onDone();
    else setError(res.error.message);
  }
  return (
    <form class="composer account" aria-labelledby="account-h" onSubmit={submit}>
      <h2 id="account-h">{mode === "login" ? t.signIn : t.signUp}</h2>
      <label class="field" for="acc-email">
        {t.email}
      </label>
      <input id="acc-email" name="email" type="email" autoComplete="email" required />
      <label class="field" for="acc-password">
        {t.password}
      </label>
      <input
        id="acc-password"
        name="password"
        type="password"
        autoComplete={mode === "login" ? "current-password" : "new-password"}
        required
      />
      {mode === "register" && (
        <>
          <label class="field" for="acc-name">
            {t.displayName}
          </label>
          <input id="acc-name" name="displayName" type="text" autoComplete="nickname" required />
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {mode === "login" ? t.signIn : t.signUp}
        </button>
        <button
          type="button"
          class="link"
          onClick={() => {
            setError(null);
            setMode(mode === "login" ? "register" : "login");
          }}
        >
          {mode === "login" ? t.signUp : t.signIn}
        </button>
      </div>
    </form>
  );
}
