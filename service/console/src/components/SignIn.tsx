import { useState } from "preact/hooks";
import { t } from "../i18n.ts";
import { api, signedIn } from "../state.ts";
import { errorText } from "../use-async.ts";
import { Notice } from "./Notice.tsx";

export function SignIn() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      signedIn(await api.login(String(form.get("email")), String(form.get("password"))));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card narrow">
      <h1 tabIndex={-1}>{t.value.signInTitle}</h1>
      <form onSubmit={submit}>
        <label>
          {t.value.email}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          {t.value.password}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t.value.signIn}
        </button>
      </form>
      <Notice kind="error" text={error} />
    </section>
  );
}
