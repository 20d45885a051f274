import { render } from "preact";
import { ExtensionPage } from "../../shared/page-ui/ExtensionPage.tsx";
import "../../shared/page-ui/page.css";

const app = document.getElementById("app");
if (app) render(<ExtensionPage kind="options" tabId={null} />, app);
