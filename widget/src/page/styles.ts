/** The sidebar frame and the widget's own touches over the shared in-page styles. */
export const WIDGET_CSS = `
[hidden] { display: none !important; }
.gutter .gpos { top: 0; left: 0; }
.gbtn { opacity: .55; }
.gbtn.has, .gbtn:hover, .gbtn:focus-visible { opacity: 1; }
/* Agencies theme the in-page parts with custom properties, which cross the shadow boundary. */
.launcher, .selbtn { background: var(--margin-accent, #0b57d0); color: var(--margin-on-accent, #ffffff); }
.gbtn.has { background: var(--margin-count-bg, #fff4c2); }
.frame { position: fixed; top: 0; right: 0; width: min(400px, 100vw); height: 100vh; border: 0;
  border-left: 1px solid #c4c4cc; box-shadow: -4px 0 16px rgba(0,0,0,.12); background: #ffffff; }
`;
