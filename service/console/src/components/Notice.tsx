/** A message people hear as well as see: status for news, alert for failures. */
export function Notice(props: { kind: "ok" | "error"; text: string | null }) {
  return (
    <p
      class={`notice ${props.kind}`}
      role={props.kind === "error" ? "alert" : "status"}
      hidden={!props.text}
    >
      {props.text ?? ""}
    </p>
  );
}
