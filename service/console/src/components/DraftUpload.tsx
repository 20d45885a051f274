import type { Consultation } from "@margin/model";
import { useState } from "preact/hooks";
import { t } from "../i18n.ts";
import { api } from "../state.ts";
import { errorText } from "../use-async.ts";
import { Notice } from "./Notice.tsx";

/** Upload the draft as an HTML file, or pasted; the service cleans it and splits it into paragraphs. */
export function DraftUpload(props: { consultation: Consultation; onUploaded: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const file = f.get("file");
    const pasted = String(f.get("html") ?? "").trim();
    setBusy(true);
    setError(null);
    setOk(null);
    try {
      const html = file instanceof File && file.size > 0 ? await file.text() : pasted;
      if (!html) throw new Error(t.value.draftFile);
      const v = await api.uploadDraft(props.consultation.id, html, String(f.get("note") ?? ""));
      setOk(t.value.uploaded(v.version, v.paragraphs.length));
      form.reset();
      props.onUploaded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card">
      <h2>{t.value.draftHtml}</h2>
      <p class="muted">{t.value.currentVersion(props.consultation.currentVersion)}</p>
      <form onSubmit={submit} class="form-grid">
        <label>
          {t.value.draftFile}
          <input name="file" type="file" accept=".html,.htm,text/html" />
        </label>
        <label>
          {t.value.draftPaste}
          <textarea name="html" rows={4} spellcheck={false} />
        </label>
        <label>
          {t.value.versionNote}
          <input name="note" maxLength={2000} />
        </label>
        <div>
          <button type="submit" disabled={busy}>
            {t.value.upload}
          </button>
        </div>
      </form>
      <Notice kind="ok" text={ok} />
      <Notice kind="error" text={error} />
    </section>
  );
}
