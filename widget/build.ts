/**
 * Builds the widget into dist/: the loader (margin.js, tiny, short-cached),
 * the in-page part (named by its content hash, cached for good), and the
 * sidebar frame (html, script, styles). The service serves dist/ at /widget/.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { PANEL_CSS } from "@margin/ui";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { FRAME_CSS } from "./src/sidebar/frame-styles.ts";

const dist = new URL("./dist/", import.meta.url);
const common: BuildOptions = {
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  // Dexie's build for current browsers (ES2017 and later, what the widget supports anyway):
  // its default entry wraps the ES5 build, ~1.3 KB more gzip in the sidebar's 60 KB.
  alias: { dexie: "dexie/dist/modern/dexie.mjs" },
  write: false,
  logLevel: "warning",
};

async function one(entry: string, extra: BuildOptions = {}) {
  const r = await build({
    ...common,
    ...extra,
    entryPoints: [new URL(entry, import.meta.url).pathname],
  });
  return r.outputFiles?.[0]?.contents ?? new Uint8Array();
}

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const page = await one("./src/page/main.ts");
const pageFile = `page.${createHash("sha256").update(page).digest("hex").slice(0, 10)}.js`;
await writeFile(new URL(pageFile, dist), page);
await writeFile(
  new URL("margin.js", dist),
  await one("./src/loader.ts", { define: { __PAGE_FILE__: JSON.stringify(pageFile) } }),
);
// One sidebar script per language, each with its own words only (frame-words.ts); the service
// names the one to load in sidebar.html from the frame's ?lang=.
const catalogues = { en: "enWords", "zh-Hant": "zhWords" } as const;
for (const [lang, name] of Object.entries(catalogues)) {
  const onlyOneLanguage: Plugin = {
    name: "frame-words",
    setup(b) {
      b.onResolve({ filter: /\/frame-words\.ts$/ }, (a) => ({
        path: lang,
        namespace: "frame-words",
        pluginData: a.resolveDir,
      }));
      b.onLoad({ filter: /.*/, namespace: "frame-words" }, (a) => ({
        contents: `import { ${name} } from "@margin/ui"; export const frameWords = () => ${name};`,
        resolveDir: a.pluginData,
        loader: "ts",
      }));
    },
  };
  await writeFile(
    new URL(`sidebar.${lang}.js`, dist),
    await one("./src/sidebar/main.tsx", { plugins: [onlyOneLanguage] }),
  );
}
await writeFile(new URL("memory-idb.js", dist), await one("./src/sidebar/memory-idb.ts"));
await writeFile(new URL("sidebar.css", dist), PANEL_CSS + FRAME_CSS);
await copyFile(
  new URL("./src/sidebar/sidebar.html", import.meta.url),
  new URL("sidebar.html", dist),
);
console.log(
  `widget built: margin.js, ${pageFile}, sidebar.html/css and one sidebar script per language`,
);
