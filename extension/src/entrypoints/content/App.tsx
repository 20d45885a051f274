import type { Annotator } from "./annotator.ts";
import { Gutter } from "./Gutter.tsx";
import { Panel } from "./Panel.tsx";

/** Everything Margin shows on the page, inside its shadow root. */
export function App({ a }: { a: Annotator }) {
  const t = a.t.value;
  const sel = a.selection.value;
  const total = a.onPage.value.length + a.removed.value.length;

  function close() {
    const key = a.view.value.kind === "paragraph" ? a.view.value.key : null;
    a.view.value = { kind: "closed" };
    a.composer.value = null;
    // Back to the paragraph's button (beside its highlight), or the launcher.
    requestAnimationFrame(() => {
      const shadow = a.root.ownerDocument.querySelector("margin-annotator")?.shadowRoot;
      const target = key
        ? shadow?.querySelector<HTMLButtonElement>(`button.gbtn[data-key="${CSS.escape(key)}"]`)
        : shadow?.querySelector<HTMLButtonElement>("button.launcher");
      target?.focus();
    });
  }

  return (
    <div class="root" lang={a.locale.value === "zh-Hant" ? "zh-Hant-TW" : "en"}>
      <Gutter a={a} />
      <section aria-label={t.margin}>
        {sel && (
          <button
            type="button"
            class="selbtn"
            style={{ top: `${sel.top}px`, left: `${sel.left}px` }}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => a.composeForSelection()}
          >
            {t.commentOnSelection}
          </button>
        )}
        {a.view.value.kind === "closed" && (
          <button
            type="button"
            class="launcher"
            onClick={() => {
              a.view.value = { kind: "all" };
            }}
          >
            {t.openPanel(total)}
          </button>
        )}
        <div class="sr-only" role="status" aria-live="polite">
          {a.announcement.value}
        </div>
      </section>
      {a.view.value.kind !== "closed" && <Panel a={a} onClose={close} />}
    </div>
  );
}
