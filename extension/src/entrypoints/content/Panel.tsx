import {
  CommentItem,
  Composer,
  type ItemView,
  LatestItems,
  OfficialResponse,
  revisedFrom,
} from "@margin/ui";
import { useEffect, useRef } from "preact/hooks";
import { type Annotator, paragraphLabel } from "./annotator.ts";
import { ask } from "./messaging.ts";

/**
 * The side panel: a paragraph's thread (or every comment on the page), the
 * composer, comments on paragraphs a revised draft removed, and orphans.
 */
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
      : a.onPage.value.filter((i) => !a.orphanSet.value.has(i));
  const orphans = view.kind === "all" ? a.orphans.value : [];
  const removed = view.kind === "all" ? a.removed.value : [];
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
        {composer && (
          <Composer
            t={t}
            quote={composer.quote}
            signedIn={Boolean(a.state.value.user)}
            onSignIn={() => void ask({ type: "open.options" })}
            onSend={(draft) => a.send(composer, draft)}
            onCancel={() => {
              a.composer.value = null;
            }}
          />
        )}
        {!composer && view.kind === "paragraph" && (
          <button type="button" class="primary" onClick={() => a.openParagraph(view.key, true)}>
            {t.write}
          </button>
        )}
        {paragraphResponses.map((r) => (
          <OfficialResponse key={r.id} t={t} response={r} />
        ))}
        {items.length === 0 && !composer && <p class="note">{t.noComments}</p>}
        {items.length > 0 && (
          <LatestItems
            key={viewKey}
            t={t}
            label={title}
            items={items}
            render={(item) => <Item key={item.id} a={a} item={item} />}
          />
        )}
        <Apart a={a} title={t.removedInRevision} items={removed} />
        <Apart a={a} title={t.orphans} items={orphans} />
      </div>
      <div class="sync" role="status">
        {!sync.online ? t.offline : sync.pending > 0 ? t.pendingCount(sync.pending) : t.allSynced}
      </div>
    </aside>
  );
}

/** Comments that cannot sit beside their words, under a heading that says why. */
function Apart({ a, title, items }: { a: Annotator; title: string; items: ItemView[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <LatestItems
        t={a.t.value}
        label={title}
        items={items}
        render={(item) => <Item key={item.id} a={a} item={item} />}
      />
    </>
  );
}

function Item({ a, item }: { a: Annotator; item: ItemView }) {
  const revision = a.revisionOf(item);
  return (
    <CommentItem
      t={a.t.value}
      item={item}
      replies={a.repliesOf(item.id)}
      responses={a.responsesFor(item)}
      active={item.id === a.activeId.value}
      onEndorse={a.endorse}
      onShowInText={
        a.anchors.value.get(item.id) && revision?.status !== "orphaned" ? a.showInText : null
      }
      revisedFrom={revisedFrom(revision)}
      own={a.own}
      onReply={a.reply}
    />
  );
}
