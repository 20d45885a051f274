import type { Consultation, PublicPerson } from "@margin/model";
import { useState } from "preact/hooks";
import type { ConsultationFields } from "../api.ts";
import { t } from "../i18n.ts";
import { api, BASE, navigate, session } from "../state.ts";
import { errorText, useAsync } from "../use-async.ts";
import { Notice } from "./Notice.tsx";

const DAY = 86_400_000;

/** `<input type="datetime-local">` speaks local wall-clock time without a zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v: string) => new Date(v).toISOString();

export function ConsultationForm(props: { existing?: Consultation; onSaved?: () => void }) {
  const user = session.value?.user;
  const existing = props.existing;
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const agencyId = existing?.agency.id ?? user?.agencyId ?? null;
  const [list] = useAsync(
    () => (agencyId ? api.officials(agencyId) : Promise.resolve({ items: [] })),
    [agencyId],
  );
  if (!user) return null;
  const me: PublicPerson = { id: user.id, displayName: user.displayName, role: user.role };
  // The agency's officials; oneself and those already assigned even before the list arrives.
  const byId = new Map<string, PublicPerson>([[me.id, me]]);
  for (const o of existing?.officials ?? []) byId.set(o.id, o);
  for (const o of list.state === "ready" ? list.value.items : []) byId.set(o.id, o);
  const officials = [...byId.values()];
  const assigned = new Set(existing ? existing.officials.map((o) => o.id) : [user.id]);
  const now = Date.now();

  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const fields: ConsultationFields = {
      title: String(f.get("title") ?? ""),
      summary: String(f.get("summary") ?? ""),
      locale: f.get("locale") === "en" ? "en" : "zh-Hant",
      urlPatterns: String(f.get("urlPatterns") ?? "")
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean),
      opensAt: fromLocalInput(String(f.get("opensAt"))),
      closesAt: fromLocalInput(String(f.get("closesAt"))),
      respondBy: fromLocalInput(String(f.get("respondBy"))),
      officialIds: f.getAll("officialIds").map(String),
    };
    setBusy(true);
    setError(null);
    setOk(null);
    try {
      if (existing) {
        await api.updateConsultation(existing.id, fields);
        setOk(t.value.saved);
        props.onSaved?.();
      } else {
        if (!agencyId) throw new Error("an official of an agency creates consultations");
        const created = await api.createConsultation(agencyId, fields);
        navigate(`${BASE}/c/${created.id}/settings?created=1`);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const Heading = existing ? "h2" : "h1";
  return (
    <section class="card">
      <Heading>{existing ? t.value.tabs.settings : t.value.newConsultation}</Heading>
      <form onSubmit={submit} class="form-grid">
        <label>
          {t.value.title}
          <input name="title" required maxLength={300} defaultValue={existing?.title ?? ""} />
        </label>
        <label>
          {t.value.summary}
          <textarea
            name="summary"
            rows={3}
            maxLength={5000}
            defaultValue={existing?.summary ?? ""}
          />
        </label>
        <label>
          {t.value.locale}
          <select name="locale">
            <option value="zh-Hant" selected={existing?.locale !== "en"}>
              繁體中文
            </option>
            <option value="en" selected={existing?.locale === "en"}>
              English
            </option>
          </select>
        </label>
        <label>
          {t.value.urlPatterns}
          <textarea
            name="urlPatterns"
            rows={2}
            placeholder="https://www.example.gov.tw/drafts/*"
            defaultValue={existing?.urlPatterns.join("\n") ?? ""}
          />
        </label>
        <div class="dates">
          <label>
            {t.value.opensAt}
            <input
              name="opensAt"
              type="datetime-local"
              required
              defaultValue={toLocalInput(existing?.opensAt ?? new Date(now).toISOString())}
            />
          </label>
          <label>
            {t.value.closesAt}
            <input
              name="closesAt"
              type="datetime-local"
              required
              defaultValue={toLocalInput(
                existing?.closesAt ?? new Date(now + 60 * DAY).toISOString(),
              )}
            />
          </label>
          <label>
            {t.value.respondBy}
            <input
              name="respondBy"
              type="datetime-local"
              required
              defaultValue={toLocalInput(
                existing?.respondBy ?? new Date(now + 90 * DAY).toISOString(),
              )}
            />
          </label>
        </div>
        <fieldset>
          <legend>{t.value.officials}</legend>
          {officials.map((o) => (
            <label class="check" key={o.id}>
              <input
                type="checkbox"
                name="officialIds"
                value={o.id}
                defaultChecked={assigned.has(o.id)}
              />
              {o.displayName}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" class="primary" disabled={busy}>
            {existing ? t.value.save : t.value.create}
          </button>
        </div>
      </form>
      <Notice kind="ok" text={ok} />
      <Notice kind="error" text={error} />
    </section>
  );
}
