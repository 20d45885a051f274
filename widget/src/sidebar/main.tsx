import { render } from "preact";
import { App } from "./App.tsx";
import { frameWords } from "./frame-words.ts";
import { connectParent, parentOrigin } from "./parent.ts";
import { createSidebar } from "./sidebar.ts";
import { frameStorage } from "./storage.ts";

const params = new URLSearchParams(location.search);
const consultation = params.get("consultation") ?? "";
const lang = params.get("lang") === "zh-Hant" ? "zh-Hant" : "en";
document.documentElement.lang = lang === "zh-Hant" ? "zh-Hant-TW" : "en";
const origin = parentOrigin(window);
const mount = document.getElementById("app") as HTMLElement;

if (!origin || !consultation) {
  const p = document.createElement("p");
  p.className = "note";
  p.textContent = frameWords(lang).frameOnly;
  mount.append(p);
} else void boot(origin);

async function boot(origin: string) {
  const s = createSidebar(window, await frameStorage(window), consultation, lang);
  const parent = connectParent(window, origin, s.onPage);
  render(<App s={s} post={parent.post} />, mount);
  // The page places public comments; it hears again whenever they change.
  let sent = "";
  s.placed.subscribe((items) => {
    const key = JSON.stringify(items);
    if (key === sent) return;
    sent = key;
    parent.post({ type: "margin:items", items });
  });
  void s.start(parent.post);
}
