import type { ItemView } from "../../shared/messages.ts";
import type { Annotator } from "./annotator.ts";

/** One comment: who, what kind, the words it is about, its text (as text), +1, sync state and official answers. */
export function CommentItem({ a, item }: { a: Annotator; item: ItemView }) {
  const t = a.t.value;
  const quote = item.selectors.find((s) => s.type === "TextQuoteSelector");
  const anchored = Boolean(a.anchors.value.get(item.id));
  const kind =
    item.motivation === "questioning"
      ? t.question
      : item.motivation === "editing"
        ? t.rewording
        : t.comment;
  const stance =
    item.stance === "support" ? t.support : item.stance === "oppose" ? t.oppose : t.neutral;
  const state = t[item.syncState];
  const responses = a.responsesFor(item);
  const replies = a.repliesOf(item.id);
  return (
    <li
      class={item.id === a.activeId.value ? "item active" : "item"}
      data-id={item.id}
      aria-current={item.id === a.activeId.value ? "true" : undefined}
    >
      <div class="meta">
        <strong>{item.mine ? t.you : (item.author ?? t.anonymous)}</strong>
        <span>{kind}</span>
        <span>· {stance}</span>
        {item.mine && <span class={`badge state-${item.syncState}`}>{state}</span>}
      </div>
      {quote && "exact" in quote && (
        <blockquote class="quote">
          {quote.exact.length > 200 ? `${quote.exact.slice(0, 200)}…` : quote.exact}
        </blockquote>
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
            aria-label={t.plusOneLabel(item.agree)}
            onClick={() => a.endorse(item)}
          >
            {t.plusOne} {item.agree}
          </button>
        )}
        {item.mine && item.agree > 0 && <span class="note">{t.plusOneLabel(item.agree)}</span>}
        {anchored && (
          <button type="button" class="link" onClick={() => a.showInText(item)}>
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
        <section key={r.id} class="response" aria-label={t.officialResponse}>
          <strong>
            {t.officialResponse} · {t.disposition[r.disposition] ?? r.disposition} · {r.official}
          </strong>
          <p class="text">{r.text}</p>
        </section>
      ))}
    </li>
  );
}
