/** The frame is the panel: it fills the frame the page gives it. */
export const FRAME_CSS = `
html, body { margin: 0; height: 100%; background: #ffffff; }
body { font: 14px/1.5 system-ui, "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; color: #1b1b1f; }
#app, .panel { height: 100%; }
.panel { position: static; width: auto; border: 0; box-shadow: none; }
.panel h1 { font-size: 16px; margin: 0; flex: 1; }
.panel h2 { font-size: 14px; margin: 12px 0 6px; }
.consultation { min-height: 1.5em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
input { display: block; width: 100%; margin-top: 4px; padding: 6px; border: 1px solid #6e6e78; border-radius: 6px; font: inherit; }
`;
