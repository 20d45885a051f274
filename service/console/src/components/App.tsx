import { useEffect, useRef } from "preact/hooks";
import { lang, t } from "../i18n.ts";
import { api, BASE, route, session, signedIn } from "../state.ts";
import { ConsultationForm } from "./ConsultationForm.tsx";
import { ConsultationList } from "./ConsultationList.tsx";
import { ConsultationPage } from "./ConsultationPage.tsx";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { SignIn } from "./SignIn.tsx";

function Body() {
  const s = session.value;
  if (!s) return <SignIn />;
  if (s.user.role === "citizen")
    return (
      <section class="card narrow">
        <h1 tabIndex={-1}>{t.value.appName}</h1>
        <p>{t.value.notOfficial}</p>
      </section>
    );
  const r = route.value;
  if (r.name === "new") return <ConsultationForm />;
  if (r.name === "consultation") return <ConsultationPage id={r.id} tab={r.tab} />;
  return <ConsultationList />;
}

export function App() {
  const main = useRef<HTMLElement>(null);
  const s = session.value;
  // Keep the document in the chosen language, and move focus to the new view's heading.
  useEffect(() => {
    document.documentElement.lang = lang.value;
    document.title = t.value.appName;
  }, [lang.value]);
  const where = `${route.value.name}:${"id" in route.value ? route.value.id : ""}:${"tab" in route.value ? route.value.tab : ""}`;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h = main.current?.querySelector<HTMLElement>("h1, h2");
    h?.setAttribute("tabindex", "-1");
    h?.focus();
  }, [where, !!s]);

  async function signOut() {
    try {
      await api.logout();
    } catch {
      // the session ends here regardless
    }
    signedIn(null);
  }

  return (
    <>
      <a class="skip" href="#main">
        {t.value.skip}
      </a>
      <header class="top">
        <a class="brand" href={BASE}>
          {t.value.appName}
        </a>
        <div class="top-right">
          <LanguageSwitch />
          {s && (
            <span class="who">
              <span class="muted">{t.value.signedInAs}</span> {s.user.displayName}{" "}
              <button type="button" onClick={signOut}>
                {t.value.signOut}
              </button>
            </span>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Body />
      </main>
    </>
  );
}
