/**
 * The comment UI's styles, shared by the extension's shadow root and the
 * widget's sidebar frame: both are sealed off from the page, so plain
 * element selectors are safe here.
 */
export const PANEL_CSS = `
* { box-sizing: border-box; }
.root { font: 14px/1.5 system-ui, "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; color: #1b1b1f; }
button, textarea, input, select { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.panel { position: fixed; top: 0; right: 0; bottom: 0; width: min(380px, 100vw); background: #ffffff;
  border-left: 1px solid #c4c4cc; box-shadow: -4px 0 16px rgba(0,0,0,.12); display: flex; flex-direction: column; }
.panel header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid #dedee3; }
.panel h2 { font-size: 16px; margin: 0; flex: 1; }
.panel .body { overflow: auto; padding: 12px; flex: 1; }
.panel h3 { font-size: 14px; margin: 16px 0 8px; }
.note { color: #45454f; font-size: 13px; margin: 4px 0 8px; }
.sync { font-size: 12px; color: #45454f; padding: 6px 12px; border-top: 1px solid #dedee3; }
.plain { background: none; border: 1px solid #8a8a96; border-radius: 6px; padding: 2px 8px; }
.primary { background: #0b57d0; color: #ffffff; border: 0; border-radius: 6px; padding: 6px 14px; font-weight: 600; }
.link { background: none; border: 0; padding: 0; color: #0b57d0; text-decoration: underline; }
ul.items { list-style: none; margin: 0; padding: 0; }
.item { border: 1px solid #dedee3; border-radius: 8px; padding: 8px 10px; margin-bottom: 10px; }
.item.active { border-color: #0b57d0; box-shadow: 0 0 0 1px #0b57d0; }
.meta { font-size: 12px; color: #45454f; display: flex; flex-wrap: wrap; gap: 6px; }
.quote { margin: 6px 0; padding: 2px 8px; border-left: 3px solid #c9a400; color: #3b3b45; font-size: 13px; }
.text { white-space: pre-wrap; margin: 6px 0; overflow-wrap: anywhere; }
.proposal { margin: 6px 0; padding: 6px 8px; background: #eef6ee; border-radius: 6px; white-space: pre-wrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; border: 1px solid currentColor; }
.state-pending { color: #8a4b00; }
.state-synced { color: #1d6b32; }
.state-conflict, .state-rejected { color: #b3261e; }
.actions { display: flex; gap: 8px; align-items: center; margin-top: 6px; }
.response { margin-top: 8px; padding: 6px 8px; border-radius: 6px; background: #e8f0fe; }
.response strong { display: block; font-size: 12px; }
form.composer { border: 1px solid #c4c4cc; border-radius: 8px; padding: 10px; margin-bottom: 12px; }
fieldset { border: 0; padding: 0; margin: 0 0 8px; }
legend { font-weight: 600; font-size: 13px; padding: 0; margin-bottom: 4px; }
.choices { display: flex; flex-wrap: wrap; gap: 4px 12px; }
label.field { display: block; font-weight: 600; font-size: 13px; margin-top: 6px; }
textarea { display: block; width: 100%; min-height: 72px; margin-top: 4px; padding: 6px; font-weight: 400; border: 1px solid #6e6e78;
  border-radius: 6px; background: #ffffff; resize: vertical; }
.revised .quote.old { border-left-color: #6e6e78; text-decoration: line-through; }
.error { color: #b3261e; font-size: 13px; }
.versions { margin: 6px 0; padding: 6px 8px; border: 1px solid #b3261e; border-radius: 6px; }
.versions .note { margin: 6px 0 0; font-weight: 600; }
form.edit label { display: block; font-weight: 600; font-size: 13px; }
`;

/**
 * The parts drawn over a page (gutter buttons, the button on a selection, the
 * launcher), for a shadow root whose host sits at the page's top left and
 * takes no room: the page keeps its layout. `all: initial` with !important
 * wins over the page's own !important rules on the host.
 */
export const IN_PAGE_CSS = `
:host { all: initial !important; position: absolute !important; top: 0 !important; left: 0 !important;
  width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483600 !important;
  display: block !important; }
.gutter { position: absolute; top: 0; left: 0; margin: 0; padding: 0; list-style: none; }
.gutter .gpos { position: absolute; }
.gbtn { min-width: 28px; height: 24px; padding: 0 6px; border-radius: 12px; border: 1px solid #6e6e78;
  background: #ffffff; color: #3b3b45; font-size: 12px; line-height: 22px; }
.gbtn:hover { background: #eef2fb; }
.gbtn.has { background: #fff4c2; border-color: #8a6d00; color: #1b1b1f; font-weight: 600; }
.gbtn[aria-current="true"] { background: #0b57d0; border-color: #0b57d0; color: #ffffff; }
.selbtn { position: absolute; padding: 4px 10px; border-radius: 6px; border: 0; background: #0b57d0;
  color: #ffffff; box-shadow: 0 2px 8px rgba(0,0,0,.25); font-weight: 600; }
.launcher { position: fixed; right: 16px; bottom: 16px; padding: 8px 14px; border-radius: 20px; border: 0;
  background: #0b57d0; color: #ffffff; box-shadow: 0 2px 10px rgba(0,0,0,.3); font-weight: 600; }
`;

/** Painted on the page's own text with the CSS Custom Highlight API: no page element is touched. */
export const HIGHLIGHT_CSS = `
::highlight(margin-comment) { background-color: rgba(255, 214, 0, 0.38); }
::highlight(margin-active) { background-color: rgba(255, 170, 0, 0.65); }
`;
