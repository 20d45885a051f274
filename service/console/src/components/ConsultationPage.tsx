import type { Consultation } from "@margin/model";
import { useState } from "preact/hooks";
import { formatDate, t } from "../i18n.ts";
import { api, BASE, query } from "../state.ts";
import { errorText, useAsync } from "../use-async.ts";
import { ConsultationForm } from "./ConsultationForm.tsx";
import { DeadlineView } from "./DeadlineView.tsx";
import { DraftUpload } from "./DraftUpload.tsx";
import { HeatMap } from "./HeatMap.tsx";
import { Loaded } from "./Loading.tsx";
import { Notice } from "./Notice.tsx";
import { PointsView } from "./PointsView.tsx";

type Tab = "points" | "heatmap" | "deadline" | "settings";
const TABS: Tab[] = ["points", "heatmap", "deadline", "settings"];

function Lifecycle(props: { c: Consultation; onChange: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  async function set(status: "published" | "concluded") {
    setError(null);
    setOk(null);
    try {
      await api.updateConsultation(props.c.id, { status });
      setOk(status === "published" ? t.value.published : t.value.saved);
      props.onChange();
    } catch (e) {
      setError(errorText(e));
    }
  }
  const c = props.c;
  return (
    <section class="card">
      <h2>{t.value.statusHeading}</h2>
      <p>
        <span class={`badge status-${c.status}`}>{t.value.status[c.status]}</span>{" "}
        {t.value.currentVersion(c.currentVersion)}
      </p>
      <div class="row">
        {c.status === "draft" && (
          <button
            type="button"
            class="primary"
            disabled={c.currentVersion === null}
            onClick={() => set("published")}
          >
            {t.value.publish}
          </button>
        )}
        {c.status === "closed" && (
          <button type="button" onClick={() => set("concluded")}>
            {t.value.conclude}
          </button>
        )}
      </div>
      <Notice kind="ok" text={ok} />
      <Notice kind="error" text={error} />
    </section>
  );
}

export function ConsultationPage(props: { id: string; tab: Tab }) {
  const [loaded, reload] = useAsync(() => api.consultation(props.id), [props.id]);
  return (
    <Loaded value={loaded} retry={reload}>
      {(c) => (
        <article class="consultation">
          <p>
            <a href={BASE}>← {t.value.back}</a>
          </p>
          <h1 lang={c.locale}>{c.title}</h1>
          <p class="muted">
            <span class={`badge status-${c.status}`}>{t.value.status[c.status]}</span> ·{" "}
            {t.value.closesAt} {formatDate(c.closesAt)} · {t.value.respondBy}{" "}
            {formatDate(c.respondBy)}
            {c.status !== "draft" && (
              <>
                {" · "}
                <a href={`/c/${c.id}`}>{t.value.publicPage}</a> ·{" "}
                <a href={`/c/${c.id}/answers`}>{t.value.answersPage}</a>
              </>
            )}
          </p>
          <nav class="tabs" aria-label={c.title}>
            {TABS.map((tab) => (
              <a
                key={tab}
                href={`${BASE}/c/${c.id}${tab === "points" ? "" : `/${tab}`}`}
                aria-current={props.tab === tab ? "page" : undefined}
              >
                {t.value.tabs[tab]}
              </a>
            ))}
          </nav>
          {props.tab === "points" && <PointsView consultation={c} />}
          {props.tab === "heatmap" && <HeatMap consultation={c} />}
          {props.tab === "deadline" && <DeadlineView consultation={c} />}
          {props.tab === "settings" && (
            <>
              <Notice kind="ok" text={query.value.get("created") ? t.value.created : null} />
              <Lifecycle c={c} onChange={reload} />
              <DraftUpload consultation={c} onUploaded={reload} />
              <ConsultationForm existing={c} onSaved={reload} />
            </>
          )}
        </article>
      )}
    </Loaded>
  );
}
