import { fileURLToPath } from "node:url";

/** Where `pnpm --filter @margin/widget build` writes the files the service serves under /widget/. */
export const WIDGET_DIST = fileURLToPath(new URL("../dist/", import.meta.url));
