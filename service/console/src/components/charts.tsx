import { t } from "../i18n.ts";

/** Support / oppose / neutral as one bar, with the same numbers in words for screen readers. */
export function StanceBar(props: { support: number; oppose: number; neutral: number }) {
  const { support, oppose, neutral } = props;
  const total = support + oppose + neutral || 1;
  const w = 120;
  const s = (support / total) * w;
  const o = (oppose / total) * w;
  const label = t.value.stanceLabel(support, oppose, neutral);
  return (
    <span class="stance">
      <svg width={w} height="10" viewBox={`0 0 ${w} 10`} role="img" aria-label={label}>
        <title>{label}</title>
        <rect x="0" y="0" width={w} height="10" class="neutral" />
        <rect x="0" y="0" width={s} height="10" class="support" />
        <rect x={s} y="0" width={o} height="10" class="oppose" />
      </svg>
      <span class="stance-text" aria-hidden="true">
        <span class="support-text">▲{support}</span> <span class="oppose-text">▼{oppose}</span>{" "}
        <span class="muted">●{neutral}</span>
      </span>
    </span>
  );
}

export interface BarDatum {
  label: string;
  parts: { value: number; kind: "answered" | "unanswered" | "overdue" | "plain" }[];
}

/**
 * Horizontal stacked bars in inline SVG (no chart library). The numbers are
 * printed beside each bar and the whole chart has a text table fallback.
 */
export function BarChart(props: { title: string; data: BarDatum[]; id: string }) {
  const max = Math.max(1, ...props.data.map((d) => d.parts.reduce((a, p) => a + p.value, 0)));
  const rowH = 26;
  const labelW = 0;
  const barW = 260;
  const height = props.data.length * rowH;
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div class="chart-rows">
        {props.data.map((d) => {
          let x = labelW;
          const total = d.parts.reduce((a, p) => a + p.value, 0);
          const words = d.parts
            .filter((p) => p.value > 0 && p.kind !== "plain")
            .map((p) => `${t.value[p.kind as "answered" | "unanswered" | "overdue"]} ${p.value}`)
            .join(", ");
          return (
            <div class="chart-row" key={d.label}>
              <span class="chart-label">{d.label}</span>
              <svg
                width={barW}
                height={rowH - 8}
                viewBox={`0 0 ${barW} ${rowH - 8}`}
                role="img"
                aria-label={`${d.label}: ${total}${words ? ` (${words})` : ""}`}
              >
                {d.parts.map((p, i) => {
                  const w = (p.value / max) * barW;
                  const rect = (
                    <rect key={i} x={x} y="0" width={w} height={rowH - 8} class={`bar ${p.kind}`} />
                  );
                  x += w;
                  return rect;
                })}
              </svg>
              <span class="chart-value">{total}</span>
            </div>
          );
        })}
      </div>
      {height === 0 && <p class="muted">—</p>}
    </figure>
  );
}
