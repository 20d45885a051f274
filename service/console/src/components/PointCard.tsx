import type { Consultation, Disposition, OfficialResponse, Point } from "@margin/model";
import { useState } from "preact/hooks";
import { formatDate, t } from "../i18n.ts";
import { api } from "../state.ts";
import { errorText, useAsync } from "../use-async.ts";
import { StanceBar } from "./charts.tsx";
import { Loaded } from "./Loading.tsx";
import { Notice } from "./Notice.tsx";

const DISPOSITIONS: Disposition[] = [
  "adopted",
  "partly_adopted",
  "not_adopted",
  "explained",
  "out_of_scope",
];

const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function stateOf(p: Point): "answered" | "overdue" | "unanswered" {
  return p.answered ? "answered" : p.overdue ? "overdue" : "unanswered";
}

function Answer(props: {
  r: OfficialResponse;
  selected: boolean;
  onSelect: (id: string, on: boolean) => void;
}) {
  const r = props.r;
  return (
    <li class={`answer ${r.status}`}>
      <p class="muted">
        <strong>{r.official.displayName}</strong> ·{" "}
        <span class="badge">{t.value.dispositions[r.disposition]}</span> ·{" "}
        {r.status === "published" && r.publishedAt ? (
          <>
            {t.value.publishedOn} {formatDate(r.publishedAt, true)}
          </>
        ) : (
          <em>{t.value.draftAnswer}</em>
        )}
      </p>
      <p class="text">{r.text}</p>
      {r.status === "draft" && (
        <label class="check">
          <input
            type="checkbox"
            checked={props.selected}
            onChange={(e) => props.onSelect(r.id, (e.currentTarget as HTMLInputElement).checked)}
          />
          {t.value.selectDraft}
        </label>
      )}
    </li>
  );
}

function CommentsToSplit(props: {
  consultation: Consultation;
  paragraphKey: string | null;
  onChanged: (message: string) => void;
}) {
  const [list, reload] = useAsync(
    () => api.comments(props.consultation.id, props.paragraphKey),
    [props.consultation.id, props.paragraphKey],
  );
  const [error, setError] = useState<string | null>(null);
  async function split(memberId: string) {
    setError(null);
    try {
      await api.split(props.consultation.id, memberId);
      props.onChanged(t.value.split);
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <Loaded value={list} retry={reload}>
      {({ items }) => (
        <>
          <ul class="comments">
            {items
              .filter((a) => a.parentId === null && a.status === "visible")
              .map((a) => (
                <li key={a.id}>
                  <span class="text">{short(a.text, 140)}</span>{" "}
                  <button type="button" class="small" onClick={() => split(a.id)}>
                    {t.value.splitOut}
                  </button>
                </li>
              ))}
          </ul>
          <Notice kind="error" text={error} />
        </>
      )}
    </Loaded>
  );
}

/** One point: what was said, by how many, how they lean, and the form to answer it. */
export function PointCard(props: {
  consultation: Consultation;
  point: Point;
  others: Point[];
  answers: OfficialResponse[];
  where: string;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
  onChanged: (message: string) => void;
}) {
  const p = props.point;
  const c = props.consultation;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showComments, setShowComments] = useState(false);
  const state = stateOf(p);
  const headingId = `point-${p.id}`;

  async function answer(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const publish = (e.submitter as HTMLButtonElement | null)?.value !== "draft";
    setBusy(true);
    setError(null);
    try {
      await api.respond(c.id, {
        pointId: p.id,
        text: String(f.get("text") ?? ""),
        disposition: String(f.get("disposition")) as Disposition,
        publish,
      });
      form.reset();
      props.onChanged(publish ? t.value.answerPublished : t.value.answerSaved);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function merge(e: Event) {
    e.preventDefault();
    const into = String(new FormData(e.currentTarget as HTMLFormElement).get("into") ?? "");
    if (!into) return;
    setError(null);
    try {
      await api.merge(c.id, p.id, into);
      props.onChanged(t.value.merged);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <li class={`point card state-${state}`} aria-labelledby={headingId}>
      <div class="point-head">
        <span class={`badge state ${state}`}>{t.value[state]}</span>
        {p.campaign && (
          <span class="badge campaign" title={t.value.campaignHelp}>
            {t.value.campaign}
          </span>
        )}
        <span class="muted where">{props.where}</span>
      </div>
      <h3 id={headingId} class="rep" lang={c.locale}>
        {p.representative.text}
      </h3>
      <p class="muted facts">
        {t.value.comments(p.size)} · {t.value.people(p.people)} · {t.value.agree(p.agree)}{" "}
        <StanceBar {...p.stance} />
      </p>
      {props.answers.length > 0 && (
        <ul class="answers">
          {props.answers.map((r) => (
            <Answer
              key={r.id}
              r={r}
              selected={props.selected.has(r.id)}
              onSelect={props.onSelect}
            />
          ))}
        </ul>
      )}
      <details class="respond" open={!p.answered}>
        <summary>{t.value.answer}</summary>
        <form onSubmit={answer} class="form-grid">
          <label>
            {t.value.disposition}
            <select name="disposition">
              {DISPOSITIONS.map((d) => (
                <option key={d} value={d}>
                  {t.value.dispositions[d]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.value.answerText}
            <textarea name="text" rows={3} required maxLength={20000} />
          </label>
          <div class="row">
            <button type="submit" class="primary" value="publish" disabled={busy}>
              {t.value.publishAnswer}
            </button>
            <button type="submit" value="draft" disabled={busy}>
              {t.value.saveDraft}
            </button>
          </div>
        </form>
      </details>
      {props.others.length > 0 && (
        <form onSubmit={merge} class="row merge">
          <label>
            {t.value.mergeInto}{" "}
            <select name="into">
              <option value="">{t.value.mergeChoose}</option>
              {props.others.map((o) => (
                <option key={o.id} value={o.id}>
                  {short(o.representative.text)} ({o.size})
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t.value.merge}</button>
        </form>
      )}
      <details
        class="split"
        onToggle={(e) => setShowComments((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>{t.value.showComments}</summary>
        {showComments && (
          <CommentsToSplit
            consultation={c}
            paragraphKey={p.paragraphKey}
            onChanged={props.onChanged}
          />
        )}
      </details>
      <Notice kind="error" text={error} />
    </li>
  );
}
