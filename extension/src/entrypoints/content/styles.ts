import { IN_PAGE_CSS, PANEL_CSS } from "@margin/ui";

/** Styles of the injected UI. They live in the shadow root, so the page cannot touch them nor they the page. */
export const SHADOW_CSS = `${IN_PAGE_CSS}${PANEL_CSS}`;
