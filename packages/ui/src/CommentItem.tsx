import type { Words } from "./i18n.ts";
import type { ItemView, ResponseView } from "./views.ts";

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
}: CommentItemProps) {
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
      {item.status === "withdrawn" ? <p class="note">—</p> : <p class="text">{item.text}</p>}
      {item.suggestion && (
        <div class="proposal">
          <strong>{t.proposedText}: </strong>
          {item.suggestion}
        </div>
      )}
      {item.rejection && <p class="error">{item.rejection}</p>}
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
      </div>
      {replies.length > 0 && (
        <ul class="items">
          {replies.map((r) => (
            <li key={r.id} class="item">
              <div class="meta">
                <strong>{r.mine ? t.you : (r.author ?? t.anonymous)}</strong>
                <span>{t.reply}</span>
              </div>
              <p class="text">{r.text}</p>
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
