import { render } from "preact";
import { App } from "./components/App.tsx";
import { listenToNavigation } from "./state.ts";

const root = document.getElementById("app");
if (root) {
  listenToNavigation();
  render(<App />, root);
}
