import { useEffect, useRef, useState } from "preact/hooks";
import type { Words } from "./i18n.ts";
import { theirVersionText } from "./own-change.ts";
import type { ItemView, ResponseView, Result } from "./views.ts";

/** What a person can do to their own comments, where the UI offers it. */
export interface OwnActions {
  onEdit(item: ItemView, text: string): Promise<Result<unknown>>;
  onWithdraw(item: ItemView): Promise<Result<unknown>>;
  /** A conflict: keep this device's version or the service's; a refusal: send again or discard. */
  onResolve(item: ItemView, keep: "mine" | "theirs"): Promise<Result<unknown>>;
}

export interface CommentItemProps {
  t: Words;
  item: ItemView;
  replies: ItemView[];
  responses: ResponseView[];
  active: boolean;
  onEndorse(item: ItemView): void;
  /** Present when the comment's words are on the page to be shown. */
  onShowInText: ((item: ItemView) => void) | null;
  /** Set when a revised draft changed the paragraph the comment was on: the text it was about. */
  revisedFrom?: string | null;
  /** Offered on the person's own comments when given. */
  own?: OwnActions;
  /** Offered under every visible comment when given: the reply is kept first, then synced. */
  onReply?: (item: ItemView, text: string) => Promise<Result<unknown>>;
}

/** One comment: who, what kind, the words it is about, its text (as text), +1, sync state and official answers. */
export function CommentItem({
  t,
  item,
  replies,
  responses,
  active,
  onEndorse,
  onShowInText,
  revisedFrom,
  own,
  onReply,
}: CommentItemProps) {
  const [replying, setReplying] = useState(false);
  const quote = item.selectors.find((s) => s.type === "TextQuoteSelector");
  const kind =
    item.motivation === "questioning"
      ? t.question
      : item.motivation === "editing"
        ? t.rewording
        : t.comment;
  const stance =
    item.stance === "support" ? t.support : item.stance === "oppose" ? t.oppose : t.neutral;
  return (
    <li
      class={active ? "item active" : "item"}
      data-id={item.id}
      aria-current={active ? "true" : undefined}
    >
      <div class="meta">
        <strong>{item.mine ? t.you : (item.author ?? t.anonymous)}</strong>
        <span>{kind}</span>
        <span>· {stance}</span>
        {item.mine && <span class={`badge state-${item.syncState}`}>{t[item.syncState]}</span>}
      </div>
      {quote && "exact" in quote && (
        <blockquote class="quote">
          {quote.exact.length > 200 ? `${quote.exact.slice(0, 200)}…` : quote.exact}
        </blockquote>
      )}
      {revisedFrom !== undefined && (
        <div class="revised">
          <p class="note">{t.paragraphChanged}</p>
          {revisedFrom && <blockquote class="quote old">{revisedFrom}</blockquote>}
        </div>
      )}
      {item.conflict && item.mine ? (
        <BothVersions t={t} item={item} conflict={item.conflict} />
      ) : item.status === "withdrawn" ? (
        <p class="note">{t.withdrawnNote}</p>
      ) : (
        <p class="text">{item.text}</p>
      )}
      {item.suggestion && (
        <div class="proposal">
          <strong>{t.proposedText}: </strong>
          {item.suggestion}
        </div>
      )}
      {item.rejection && <p class="error">{item.rejection}</p>}
      {own && item.mine && <Own t={t} item={item} own={own} />}
      <div class="actions">
        {!item.mine && (
          <button
            type="button"
            class="plain"
            aria-pressed={item.myEndorsement === "agree"}
            aria-label={`${t.plusOne} ${item.agree} · ${t.plusOneLabel(item.agree)}`}
            onClick={() => onEndorse(item)}
          >
            {t.plusOne} {item.agree}
          </button>
        )}
        {item.mine && item.agree > 0 && <span class="note">{t.plusOneLabel(item.agree)}</span>}
        {onShowInText && (
          <button type="button" class="link" onClick={() => onShowInText(item)}>
            {t.showInText}
          </button>
        )}
        {onReply && item.status === "visible" && !replying && (
          <button type="button" class="link" onClick={() => setReplying(true)}>
            {t.reply}
          </button>
        )}
      </div>
      {replying && onReply && (
        <TextForm
          t={t}
          label={t.yourReply}
          initial=""
          submit={t.send}
          onSend={(text) => onReply(item, text)}
          onClose={() => setReplying(false)}
        />
      )}
      {replies.length > 0 && (
        <ul class="items">
          {replies.map((r) => (
            <li key={r.id} class="item" data-id={r.id}>
              <div class="meta">
                <strong>{r.mine ? t.you : (r.author ?? t.anonymous)}</strong>
                <span>{t.reply}</span>
                {r.mine && <span class={`badge state-${r.syncState}`}>{t[r.syncState]}</span>}
              </div>
              {r.status === "withdrawn" ? (
                <p class="note">{t.withdrawnNote}</p>
              ) : (
                <p class="text">{r.text}</p>
              )}
              {r.rejection && <p class="error">{r.rejection}</p>}
            </li>
          ))}
        </ul>
      )}
      {responses.map((r) => (
        <OfficialResponse key={r.id} t={t} response={r} />
      ))}
    </li>
  );
}

export function OfficialResponse({ t, response: r }: { t: Words; response: ResponseView }) {
  return (
    <section class="response" aria-label={t.officialResponse}>
      <strong>
        {t.officialResponse} · {t.disposition[r.disposition] ?? r.disposition} · {r.official}
      </strong>
      <p class="text">{r.text}</p>
    </section>
  );
}

/** A conflict (S6): what this device has and what the service has, side by side. */
function BothVersions({
  t,
  item,
  conflict,
}: {
  t: Words;
  item: ItemView;
  conflict: NonNullable<ItemView["conflict"]>;
}) {
  const { theirs } = conflict;
  return (
    <section class="versions" aria-label={t.twoVersions}>
      <p class="note">{t.yourVersion}</p>
      {item.status === "withdrawn" ? (
        <p class="note">{t.withdrawnNote}</p>
      ) : (
        <p class="text mine">{item.text}</p>
      )}
      <p class="note">{t.theirVersion}</p>
      <p class={theirs.status === "visible" ? "text theirs" : "note"}>
        {theirVersionText(t, theirs)}
      </p>
    </section>
  );
}

/** Edit, withdraw (after asking), or settle a conflict or a refusal. */
function Own({ t, item, own }: { t: Words; item: ItemView; own: OwnActions }) {
  const [mode, setMode] = useState<"idle" | "editing" | "withdrawing">("idle");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(action: Promise<Result<unknown>>) {
    setBusy(true);
    const res = await action;
    setBusy(false);
    setError(res.ok ? null : res.error.message);
    if (res.ok) setMode("idle");
  }
  const stuck = item.syncState === "conflict" || item.syncState === "rejected";
  let body = null;
  if (stuck) {
    const conflict = item.syncState === "conflict";
    body = (
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => run(own.onResolve(item, "mine"))}>
          {conflict ? t.keepMine : t.sendAgain}
        </button>
        <button type="button" disabled={busy} onClick={() => run(own.onResolve(item, "theirs"))}>
          {conflict ? t.takeTheirs : t.discard}
        </button>
      </div>
    );
  } else if (item.status !== "visible") {
    body = null;
  } else if (mode === "editing") {
    body = (
      <TextForm
        t={t}
        label={t.editLabel}
        initial={item.text}
        submit={t.save}
        onSend={(text) => own.onEdit(item, text)}
        onClose={() => setMode("idle")}
      />
    );
  } else if (mode === "withdrawing") {
    body = (
      <div class="actions">
        <p class="note">{t.withdrawAsk}</p>
        <button type="button" disabled={busy} onClick={() => run(own.onWithdraw(item))}>
          {t.withdraw}
        </button>
        <button type="button" onClick={() => setMode("idle")}>
          {t.keepIt}
        </button>
      </div>
    );
  } else {
    body = (
      <div class="actions">
        <button
          type="button"
          class="plain"
          onClick={() => {
            setError(null);
            setMode("editing");
          }}
        >
          {t.edit}
        </button>
        <button type="button" class="plain" onClick={() => setMode("withdrawing")}>
          {t.withdraw}
        </button>
      </div>
    );
  }
  return (
    <>
      {body}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** Words to write and send, or give up on: an edit of one's own comment, a reply. */
function TextForm({
  t,
  label,
  initial,
  submit,
  onSend,
  onClose,
}: {
  t: Words;
  label: string;
  initial: string;
  submit: string;
  onSend(text: string): Promise<Result<unknown>>;
  onClose(): void;
}) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  return (
    <form
      class="edit"
      onSubmit={async (e) => {
        e.preventDefault();
        if (text.trim() === "") return setError(t.writeSomething);
        setBusy(true);
        const res = await onSend(text);
        setBusy(false);
        if (res.ok) onClose();
        else setError(res.error.message);
      }}
    >
      <label>
        {label}
        <textarea
          ref={field}
          value={text}
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            setError(null);
          }}
        />
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {submit}
        </button>
        <button type="button" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
