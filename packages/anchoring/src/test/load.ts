/** Test helpers: the real draft pages from fixtures/, parsed with happy-dom. */
import { readFileSync } from "node:fs";
import { Window } from "happy-dom";

export const FIXTURES = {
  laborZh: "tw-labor-standards-act.zh.html",
  laborEn: "tw-labor-standards-act.en.html",
  criminalZh: "tw-code-of-criminal-procedure.zh.html",
  fisheries: "us-fr-2024-02236-fisheries-proposed-rule.html",
  cmsGpo: "us-cms-2022-0163-notice.gpo.htm",
} as const;

export function fixtureHtml(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

export function parse(html: string): Document {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true } } as any);
  const doc = window.document as unknown as Document;
  doc.write(html);
  return doc;
}

export function loadFixture(name: string): Document {
  return parse(fixtureHtml(name));
}
