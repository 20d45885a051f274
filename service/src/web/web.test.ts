import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONSOLE_CSP, consoleRoutes } from "./console.ts";
import { formatDay, langFromHeader, pickLang } from "./public-words.ts";

function builtConsole() {
  const dir = join(
    tmpdir(),
    `margin-console-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
  writeFileSync(join(dir, "assets", "index-abc.js"), "console.log(1)");
  writeFileSync(join(dir, "assets", "index-abc.css"), "body{}");
  writeFileSync(join(dir, "assets", "notes.exe"), "MZ");
  return dir;
}

describe("console files", () => {
  const app = consoleRoutes(builtConsole());

  it("answers every view's URL with index.html under the strict CSP", async () => {
    for (const path of ["/console", "/console/", "/console/c/123/deadline", "/console/new"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("<title>console</title>");
    }
  });

  it("serves hashed assets with their types, cached for good", async () => {
    const js = await app.request("/console/assets/index-abc.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toContain("immutable");
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await app.request("/console/assets/index-abc.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("refuses missing files, unknown types and paths outside the build", async () => {
    for (const path of [
      "/console/assets/missing.js",
      "/console/assets/notes.exe",
      "/console/..%2F..%2Fpackage.json",
      "/console/%2e%2e/%2e%2e/etc/passwd.txt",
      "/console/%E0%A4%A.js",
    ])
      expect((await app.request(path)).status, path).toBe(404);
  });

  it("says how to build it when it is not built", async () => {
    const res = await consoleRoutes(join(tmpdir(), "margin-no-such-dir")).request("/console");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("pnpm --filter @margin/service build");
  });
});

describe("public page language", () => {
  it("takes ?lang when it is one of ours, else the fallback", () => {
    expect(pickLang("en", "zh-Hant")).toBe("en");
    expect(pickLang("zh-Hant", "en")).toBe("zh-Hant");
    expect(pickLang("fr", "zh-Hant")).toBe("zh-Hant");
    expect(pickLang(undefined, "en")).toBe("en");
  });

  it("reads the first Chinese or English preference from Accept-Language", () => {
    expect(langFromHeader("zh-TW,zh;q=0.9,en;q=0.8")).toBe("zh-Hant");
    expect(langFromHeader("en-US,en;q=0.9")).toBe("en");
    expect(langFromHeader("fr-FR,en;q=0.5")).toBe("en");
    expect(langFromHeader(undefined)).toBe("zh-Hant");
  });

  it("formats days in Taiwan's time zone", () => {
    expect(formatDay("2026-11-22T17:00:00Z", "en")).toBe("23 Nov 2026");
    expect(formatDay("2026-11-22T17:00:00Z", "zh-Hant")).toBe("2026年11月23日");
  });
});
