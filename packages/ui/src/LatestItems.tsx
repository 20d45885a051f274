import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
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
  const earlier = Math.max(0, items.length - shown);
  return (
    <>
      {earlier > 0 && (
        <button type="button" class="link" onClick={() => setShown(shown + LIST_PAGE)}>
          {t.showEarlier(earlier)}
        </button>
      )}
      <ul class="items" aria-label={label}>
        {items.slice(earlier).map(render)}
      </ul>
    </>
  );
}
