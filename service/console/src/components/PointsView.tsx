import type { Consultation, DraftVersion, OfficialResponse, Point } from "@margin/model";
import { useState } from "preact/hooks";
import { t } from "../i18n.ts";
import { currentParagraphs, paragraphLabel } from "../paragraphs.ts";
import { api, BASE, navigate, query } from "../state.ts";
import { errorText, useAsync } from "../use-async.ts";
import { Loaded } from "./Loading.tsx";
import { Notice } from "./Notice.tsx";
import { PointCard } from "./PointCard.tsx";

type Show = "all" | "unanswered" | "overdue" | "answered";
const SHOWS: Show[] = ["all", "unanswered", "overdue", "answered"];

export function answersFor(point: Point, responses: OfficialResponse[]) {
  return responses.filter(
    (r) =>
      point.responseIds.includes(r.id) || (r.target.type === "cluster" && r.target.id === point.id),
  );
}

function keep(p: Point, show: Show) {
  if (show === "unanswered") return !p.answered;
  if (show === "overdue") return p.overdue;
  if (show === "answered") return p.answered;
  return true;
}

export interface PointsData {
  points: Point[];
  responses: OfficialResponse[];
  version: DraftVersion | null;
  pending: number;
}

/** Every point of the consultation, with filters, answers and bulk publishing of drafts. */
export function PointsView(props: { consultation: Consultation }) {
  const c = props.consultation;
  const [data, reload] = useAsync<PointsData>(async () => {
    const [points, responses, version, report] = await Promise.all([
      api.points(c.id),
      api.responses(c.id),
      currentParagraphs(api, c.id),
      api.accountability(c.id),
    ]);
    return {
      points: points.items,
      responses: responses.items,
      version,
      pending: report.pending,
    };
  }, [c.id]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = (SHOWS as string[]).includes(query.value.get("show") ?? "")
    ? (query.value.get("show") as Show)
    : "all";
  const paragraph = query.value.get("paragraph");

  function setFilter(name: "show" | "paragraph", value: string) {
    const q = new URLSearchParams(query.value);
    if (value && value !== "all") q.set(name, value);
    else q.delete(name);
    const s = q.toString();
    navigate(`${BASE}/c/${c.id}${s ? `?${s}` : ""}`, true);
  }

  async function publishSelected() {
    setOk(null);
    setError(null);
    try {
      const { items } = await api.publish(c.id, [...selected]);
      setSelected(new Set());
      setOk(t.value.answersPublished(items.length));
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  }

  function toggle(id: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  }

  return (
    <section>
      <h2>{t.value.tabs.points}</h2>
      <Loaded value={data} retry={reload}>
        {(d) => {
          const paragraphKeys = [...new Set(d.points.map((p) => p.paragraphKey))];
          const visible = d.points.filter(
            (p) => keep(p, show) && (paragraph === null || p.paragraphKey === paragraph),
          );
          return (
            <>
              <div class="toolbar">
                <label>
                  {t.value.filter}
                  <select
                    onChange={(e) =>
                      setFilter("show", (e.currentTarget as HTMLSelectElement).value)
                    }
                  >
                    {SHOWS.map((s) => (
                      <option key={s} value={s} selected={s === show}>
                        {t.value.filters[s]}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t.value.paragraphFilter}
                  <select
                    onChange={(e) =>
                      setFilter("paragraph", (e.currentTarget as HTMLSelectElement).value)
                    }
                  >
                    <option value="" selected={paragraph === null}>
                      {t.value.allParagraphs}
                    </option>
                    {paragraphKeys
                      .filter((k): k is string => k !== null)
                      .map((k) => (
                        <option key={k} value={k} selected={k === paragraph}>
                          {paragraphLabel(d.version, k, t.value.noParagraph)}
                        </option>
                      ))}
                  </select>
                </label>
                <span class="muted" aria-live="polite">
                  {t.value.pointsCount(visible.length)}
                </span>
                <button
                  type="button"
                  class="primary"
                  disabled={selected.size === 0}
                  onClick={publishSelected}
                >
                  {t.value.publishSelected(selected.size)}
                </button>
              </div>
              {d.pending > 0 && <p class="muted">{t.value.pending(d.pending)}</p>}
              <Notice kind="ok" text={ok} />
              <Notice kind="error" text={error} />
              {visible.length === 0 ? (
                <p>{t.value.noPoints}</p>
              ) : (
                <ol class="points">
                  {visible.map((p) => (
                    <PointCard
                      key={p.id}
                      consultation={c}
                      point={p}
                      others={d.points.filter((o) => o.id !== p.id)}
                      answers={answersFor(p, d.responses)}
                      where={paragraphLabel(d.version, p.paragraphKey, t.value.noParagraph)}
                      selected={selected}
                      onSelect={toggle}
                      onChanged={(message) => {
                        setOk(message);
                        setError(null);
                        reload();
                      }}
                    />
                  ))}
                </ol>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
