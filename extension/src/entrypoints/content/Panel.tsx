import { useEffect, useRef } from "preact/hooks";
import { type Annotator, paragraphLabel } from "./annotator.ts";
import { CommentItem } from "./CommentItem.tsx";
import { Composer } from "./Composer.tsx";

/** The side panel: a paragraph's thread (or every comment on the page), the composer, and orphans. */
export function Panel({ a, onClose }: { a: Annotator; onClose: () => void }) {
  const t = a.t.value;
  const view = a.view.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const viewKey = view.kind === "paragraph" ? view.key : view.kind;
  useEffect(() => {
    if (!a.composer.value) heading.current?.focus();
  }, [viewKey]);
  if (view.kind === "closed") return null;
  const items =
    view.kind === "paragraph"
      ? (a.byParagraph.value.get(view.key) ?? [])
      : a.onPage.value.filter((i) => !a.orphans.value.includes(i));
  const orphans = view.kind === "all" ? a.orphans.value : [];
  const title =
    view.kind === "paragraph"
      ? t.paragraphThread(paragraphLabel(a.paras.value, view.key))
      : t.allComments;
  const paragraphResponses =
    view.kind === "paragraph"
      ? a.state.value.responses.filter((r) => r.paragraphKey === view.key)
      : [];
  const sync = a.state.value.sync;
  const composer = a.composer.value;
  return (
    <aside
      class="panel"
      aria-label={t.panelLabel}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header>
        <h2 ref={heading} tabIndex={-1}>
          {title}
        </h2>
        {view.kind === "paragraph" && (
          <button
            type="button"
            class="plain"
            onClick={() => {
              a.view.value = { kind: "all" };
            }}
          >
            {t.allComments}
          </button>
        )}
        <button type="button" class="plain" onClick={onClose}>
          {t.close}
        </button>
      </header>
      <div class="body">
        <p class="note">
          {a.info.consultationTitle ? t.consultationPage(a.info.consultationTitle) : t.otherPage}
        </p>
        {composer && <Composer a={a} target={composer} />}
        {!composer && view.kind === "paragraph" && (
          <button type="button" class="primary" onClick={() => a.openParagraph(view.key, true)}>
            {t.write}
          </button>
        )}
        {paragraphResponses.map((r) => (
          <section key={r.id} class="response" aria-label={t.officialResponse}>
            <strong>
              {t.officialResponse} · {t.disposition[r.disposition] ?? r.disposition} · {r.official}
            </strong>
            <p class="text">{r.text}</p>
          </section>
        ))}
        {items.length === 0 && !composer && <p class="note">{t.noComments}</p>}
        {items.length > 0 && (
          <ul class="items" aria-label={title}>
            {items.map((item) => (
              <CommentItem key={item.id} a={a} item={item} />
            ))}
          </ul>
        )}
        {orphans.length > 0 && (
          <>
            <h3>{t.orphans}</h3>
            <ul class="items" aria-label={t.orphans}>
              {orphans.map((item) => (
                <CommentItem key={item.id} a={a} item={item} />
              ))}
            </ul>
          </>
        )}
      </div>
      <div class="sync" role="status">
        {!sync.online ? t.offline : sync.pending > 0 ? t.pendingCount(sync.pending) : t.allSynced}
      </div>
    </aside>
  );
}
