import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import type { Words } from "./i18n.ts";

/** Comments a list shows at first, and adds each time earlier ones are asked for. */
export const LIST_PAGE = 50;

/**
 * A list of comments, oldest first, showing only the latest LIST_PAGE until earlier ones are
 * asked for: with 5,000 comments a panel spent seconds laying out every one, and the newest
 * (the reader's own among them) come last.
 */
export function LatestItems<T>({
  t,
  label,
  items,
  render,
}: {
  t: Words;
  label: string;
  items: readonly T[];
  render: (item: T) => ComponentChildren;
}) {
  const [shown, setShown] = useState(LIST_PAGE);
  const list = useRef<HTMLUListElement>(null);
  const earlier = Math.max(0, items.length - shown);
  function more() {
    setShown(shown + LIST_PAGE);
    // The last page shown, the button goes: the focus goes to the list rather than to nowhere.
    if (earlier <= LIST_PAGE) requestAnimationFrame(() => list.current?.focus());
  }
  return (
    <>
      {earlier > 0 && (
        <button type="button" class="link" onClick={more}>
          {t.showEarlier(earlier)}
        </button>
      )}
      <ul class="items" aria-label={label} ref={list} tabIndex={-1}>
        {items.slice(earlier).map(render)}
      </ul>
    </>
  );
}
