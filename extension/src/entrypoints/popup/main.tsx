import { render } from "preact";
import { browser } from "wxt/browser";
import { ExtensionPage } from "../../shared/page-ui/ExtensionPage.tsx";
import "../../shared/page-ui/page.css";

/** The toolbar popup acts on the active tab (or `?tab=<id>`, when opened as a page). */
async function main() {
  const param = new URLSearchParams(location.search).get("tab");
  let tabId = param ? Number(param) : null;
  if (tabId === null || Number.isNaN(tabId)) {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    tabId = tab?.id ?? null;
  }
  const app = document.getElementById("app");
  if (app) render(<ExtensionPage kind="popup" tabId={tabId} />, app);
}
void main();
