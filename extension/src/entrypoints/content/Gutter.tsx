import { useRef } from "preact/hooks";
import { type Annotator, paragraphLabel } from "./annotator.ts";

/**
 * One button beside each commentable paragraph with its comment count. The
 * buttons form a single tab stop (a vertical toolbar): arrows move between
 * paragraphs, Enter opens the paragraph's thread (or the composer).
 */
export function Gutter({ a }: { a: Annotator }) {
  const list = useRef<HTMLDivElement>(null);
  void a.layout.value;
  const win = a.root.ownerDocument.defaultView as Window;
  const paras = a.paras.value;
  const counts = a.byParagraph.value;
  const current = a.focusKey.value ?? paras[0]?.key ?? null;
  const t = a.t.value;
  const maxLeft = a.root.ownerDocument.documentElement.clientWidth + win.scrollX - 40;

  function move(e: KeyboardEvent, index: number) {
    let next = index;
    if (e.key === "ArrowDown" || e.key === "ArrowRight") next = index + 1;
    else if (e.key === "ArrowUp" || e.key === "ArrowLeft") next = index - 1;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = paras.length - 1;
    else return;
    e.preventDefault();
    next = Math.max(0, Math.min(paras.length - 1, next));
    const p = paras[next];
    if (!p) return;
    a.focusKey.value = p.key;
    p.element.scrollIntoView({ block: "nearest" });
    requestAnimationFrame(() =>
      list.current?.querySelectorAll<HTMLButtonElement>("button")[next]?.focus(),
    );
  }

  return (
    <nav aria-label={t.paragraphs}>
      <div
        class="gutter"
        role="toolbar"
        aria-orientation="vertical"
        aria-label={t.paragraphs}
        ref={list}
      >
        {paras.map((p, i) => {
          const rect = p.element.getBoundingClientRect();
          if (rect.width === 0 && rect.height === 0) return null;
          const n = counts.get(p.key)?.length ?? 0;
          const top = rect.top + win.scrollY;
          const left = Math.min(rect.right + win.scrollX + 6, maxLeft);
          const open = a.view.value.kind === "paragraph" && a.view.value.key === p.key;
          return (
            <div class="gpos" key={p.key} style={{ top: `${top}px`, left: `${left}px` }}>
              <button
                type="button"
                class={n > 0 ? "gbtn has" : "gbtn"}
                data-key={p.key}
                tabIndex={p.key === current ? 0 : -1}
                aria-label={t.paragraphButton(n, paragraphLabel(paras, p.key))}
                aria-current={open ? "true" : undefined}
                onKeyDown={(e) => move(e, i)}
                onFocus={() => {
                  a.focusKey.value = p.key;
                }}
                onClick={() => a.openParagraph(p.key, false)}
              >
                {n > 0 ? n : "+"}
              </button>
            </div>
          );
        })}
      </div>
    </nav>
  );
}
