import type { ComponentChildren } from "preact";
import { t } from "../i18n.ts";
import { type Async, errorText } from "../use-async.ts";

/** Shows the loading and failure states of an Async; renders children once it is ready. */
export function Loaded<T>(props: {
  value: Async<T>;
  retry?: () => void;
  children: (value: T) => ComponentChildren;
}) {
  const v = props.value;
  if (v.state === "loading") return <p class="muted">{t.value.loading}</p>;
  if (v.state === "error")
    return (
      <div role="alert" class="notice error">
        <p>
          {t.value.error}: {errorText(v.error)}
        </p>
        {props.retry && (
          <button type="button" onClick={props.retry}>
            {t.value.retry}
          </button>
        )}
      </div>
    );
  return <>{props.children(v.value)}</>;
}
