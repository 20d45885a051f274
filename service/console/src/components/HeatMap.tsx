import type { Consultation } from "@margin/model";
import { lang, t } from "../i18n.ts";
import { currentParagraphs, heatLevel } from "../paragraphs.ts";
import { api, BASE } from "../state.ts";
import { useAsync } from "../use-async.ts";
import { Loaded } from "./Loading.tsx";

/** The draft, paragraph by paragraph, tinted by how many comments each drew. */
export function HeatMap(props: { consultation: Consultation }) {
  const id = props.consultation.id;
  const [data, reload] = useAsync(
    () => Promise.all([currentParagraphs(api, id), api.summary(id)]),
    [id],
  );
  return (
    <section>
      <h2>{t.value.tabs.heatmap}</h2>
      <p class="muted">{t.value.heatmapHelp}</p>
      <Loaded value={data} retry={reload}>
        {([version, summary]) => {
          if (!version) return <p>{t.value.noDraft}</p>;
          const counts = new Map(summary.paragraphs.map((p) => [p.paragraphKey, p]));
          const max = Math.max(0, ...summary.paragraphs.map((p) => p.comments));
          return (
            <>
              <div class="legend" aria-hidden="true">
                <span>{t.value.legend}:</span>
                {[0, 1, 2, 3, 4, 5].map((l) => (
                  <span key={l} class={`swatch heat-${l}`} />
                ))}
                <span>0 – {max}</span>
              </div>
              <ol class="heatmap" lang={props.consultation.locale}>
                {version.paragraphs.map((p) => {
                  const s = counts.get(p.key);
                  const n = s?.comments ?? 0;
                  return (
                    <li key={p.key} class={`heat-${heatLevel(n, max)}`} id={`p-${p.key}`}>
                      <p class="ptext">{p.text}</p>
                      <p class="pmeta" lang={lang.value}>
                        <span class="count">{t.value.comments(n)}</span>
                        {s && <> · {t.value.people(s.people)}</>}
                        {n > 0 && (
                          <>
                            {" · "}
                            <a href={`${BASE}/c/${id}?paragraph=${encodeURIComponent(p.key)}`}>
                              {t.value.seePoints}
                            </a>
                          </>
                        )}
                      </p>
                    </li>
                  );
                })}
              </ol>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
