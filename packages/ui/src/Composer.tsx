import { useEffect, useRef, useState } from "preact/hooks";
import type { Words } from "./i18n.ts";
import type { Result } from "./views.ts";

export interface Draft {
  motivation: "commenting" | "questioning" | "editing";
  stance: "support" | "oppose" | "neutral";
  text: string;
  suggestion: string;
}

export interface ComposerProps {
  t: Words;
  /** The words commented on, as the person sees them quoted. */
  quote: string;
  signedIn: boolean;
  onSignIn(): void;
  onSend(draft: Draft): Promise<Result<unknown>>;
  onCancel(): void;
}

let uid = 0;

/** Comment, question or suggested rewording on the chosen words, with a stance. */
export function Composer({ t, quote, signedIn, onSignIn, onSend, onCancel }: ComposerProps) {
  const [id] = useState(() => `mc${++uid}`);
  const [draft, setDraft] = useState<Draft>({
    motivation: "commenting",
    stance: "neutral",
    text: "",
    suggestion: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const text = useRef<HTMLTextAreaElement>(null);
  useEffect(() => text.current?.focus(), [quote]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(e: Event) {
    e.preventDefault();
    if (draft.text.trim() === "") return setError(t.writeSomething);
    if (draft.motivation === "editing" && draft.suggestion.trim() === "")
      return setError(t.needProposal);
    setBusy(true);
    const res = await onSend(draft);
    setBusy(false);
    if (!res.ok) setError(res.error.message);
  }

  const kinds = [
    ["commenting", t.comment],
    ["questioning", t.question],
    ["editing", t.rewording],
  ] as const;
  const stances = [
    ["support", t.support],
    ["oppose", t.oppose],
    ["neutral", t.neutral],
  ] as const;
  return (
    <form class="composer" aria-labelledby={`${id}-h`} onSubmit={submit}>
      <h3 id={`${id}-h`}>{t.write}</h3>
      <div class="note">{t.quoted}:</div>
      <blockquote class="quote">
        {quote.length > 300 ? `${quote.slice(0, 300)}…` : quote}
      </blockquote>
      <fieldset>
        <legend>{t.kind}</legend>
        <div class="choices">
          {kinds.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-kind`}
                value={value}
                checked={draft.motivation === value}
                onChange={() => set({ motivation: value })}
              />{" "}
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t.stance}</legend>
        <div class="choices">
          {stances.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-stance`}
                value={value}
                checked={draft.stance === value}
                onChange={() => set({ stance: value })}
              />{" "}
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <label class="field" for={`${id}-text`}>
        {t.yourText}
      </label>
      <textarea
        id={`${id}-text`}
        ref={text}
        value={draft.text}
        onInput={(e) => set({ text: e.currentTarget.value })}
        aria-describedby={error ? `${id}-err` : undefined}
      />
      {draft.motivation === "editing" && (
        <>
          <label class="field" for={`${id}-sugg`}>
            {t.proposedText}
          </label>
          <textarea
            id={`${id}-sugg`}
            value={draft.suggestion}
            onInput={(e) => set({ suggestion: e.currentTarget.value })}
          />
        </>
      )}
      {error && (
        <p class="error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
      {!signedIn && (
        <p class="note">
          {t.signInToSend}{" "}
          <button type="button" class="link" onClick={onSignIn}>
            {t.signIn}
          </button>
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t.send}
        </button>
        <button type="button" class="plain" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
