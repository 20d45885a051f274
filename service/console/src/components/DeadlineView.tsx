import type { Consultation } from "@margin/model";
import { formatDate, t } from "../i18n.ts";
import { currentParagraphs, paragraphLabel } from "../paragraphs.ts";
import { api, BASE } from "../state.ts";
import { useAsync } from "../use-async.ts";
import { BarChart } from "./charts.tsx";
import { Loaded } from "./Loading.tsx";
import { stateOf } from "./PointCard.tsx";

const DAY = 86_400_000;

/** What is due and what is late, with bars where a glance says more than a table. */
export function DeadlineView(props: { consultation: Consultation }) {
  const c = props.consultation;
  const [data, reload] = useAsync(
    () => Promise.all([api.accountability(c.id), api.points(c.id), currentParagraphs(api, c.id)]),
    [c.id],
  );
  return (
    <section>
      <h2>{t.value.tabs.deadline}</h2>
      <Loaded value={data} retry={reload}>
        {([report, { items: points }, version]) => {
          const days = Math.ceil((Date.parse(report.respondBy) - Date.now()) / DAY);
          const n = report.points;
          const due = points.filter((p) => !p.answered);
          const busiest = [...report.byParagraph].sort((a, b) => b.total - a.total).slice(0, 10);
          return (
            <>
              <div class="stats">
                <p class="stat">
                  <span class="stat-label">{t.value.dueBy}</span>
                  <span class="stat-value">{formatDate(report.respondBy, true)}</span>
                  <span class={days < 0 && n.unanswered > 0 ? "late" : "muted"}>
                    {t.value.daysLeft(days)}
                  </span>
                </p>
                <p class="stat">
                  <span class="stat-label">{t.value.answered}</span>
                  <span class="stat-value">
                    {n.answered} / {n.total}
                  </span>
                </p>
                <p class="stat">
                  <span class="stat-label">{t.value.overdue}</span>
                  <span class={`stat-value ${n.overdue ? "late" : ""}`}>{n.overdue}</span>
                </p>
              </div>
              {report.pending > 0 && <p class="muted">{t.value.pending(report.pending)}</p>}
              <p class="chart-legend" aria-hidden="true">
                <span class="key answered" /> {t.value.answered} <span class="key unanswered" />{" "}
                {t.value.unanswered} <span class="key overdue" /> {t.value.overdue}
              </p>
              <div class="charts">
                <BarChart
                  id="chart-status"
                  title={t.value.chartStatus}
                  data={[
                    {
                      label: t.value.total,
                      parts: [
                        { value: n.answered, kind: "answered" },
                        { value: n.unanswered - n.overdue, kind: "unanswered" },
                        { value: n.overdue, kind: "overdue" },
                      ],
                    },
                  ]}
                />
                <BarChart
                  id="chart-paragraphs"
                  title={t.value.chartParagraphs}
                  data={busiest.map((b) => ({
                    label: paragraphLabel(version, b.paragraphKey, t.value.noParagraph).slice(
                      0,
                      24,
                    ),
                    parts: [
                      { value: b.answered, kind: "answered" },
                      { value: b.unanswered - b.overdue, kind: "unanswered" },
                      { value: b.overdue, kind: "overdue" },
                    ],
                  }))}
                />
                <BarChart
                  id="chart-officials"
                  title={t.value.chartOfficials}
                  data={report.byOfficial.map((o) => ({
                    label: o.official.displayName,
                    parts: [{ value: o.answered, kind: "answered" }],
                  }))}
                />
              </div>
              <table class="list">
                <caption>{t.value.officials}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.value.official}</th>
                    <th scope="col">{t.value.assigned}</th>
                    <th scope="col">{t.value.answersCount}</th>
                    <th scope="col">{t.value.unansweredAssigned}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.byOfficial.map((o) => (
                    <tr key={o.official.id}>
                      <th scope="row">{o.official.displayName}</th>
                      <td>{o.assigned ? t.value.yes : t.value.no}</td>
                      <td>{o.answered}</td>
                      <td>{o.unansweredAssigned}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>{t.value.dueList}</h3>
              {due.length === 0 ? (
                <p>{t.value.nothingDue}</p>
              ) : (
                <ul class="due">
                  {due.map((p) => (
                    <li key={p.id}>
                      <span class={`badge state ${stateOf(p)}`}>{t.value[stateOf(p)]}</span>{" "}
                      <a
                        href={`${BASE}/c/${c.id}${p.paragraphKey ? `?paragraph=${encodeURIComponent(p.paragraphKey)}` : ""}`}
                        lang={c.locale}
                      >
                        {p.representative.text.slice(0, 80)}
                      </a>{" "}
                      <span class="muted">
                        · {t.value.people(p.people)} ·{" "}
                        {paragraphLabel(version, p.paragraphKey, t.value.noParagraph)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
