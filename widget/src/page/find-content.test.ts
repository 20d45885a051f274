import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { findContent } from "./find-content.ts";

function page(body: string) {
  const win = new Window();
  win.document.body.innerHTML = body;
  return win.document as unknown as Document;
}

const prose = (n: number, word: string) =>
  Array.from({ length: n }, (_, i) => `<p>${word} ${i} ${"lorem ipsum ".repeat(20)}</p>`).join("");

describe("findContent", () => {
  it("takes the element data-content names, and nothing when it names nothing", () => {
    const doc = page(`<main><p>a</p></main><div id="draft">${prose(2, "d")}</div>`);
    expect(findContent(doc, "#draft")?.id).toBe("draft");
    expect(findContent(doc, "#missing")).toBe(null);
    expect(findContent(doc, "###")).toBe(null);
  });

  it("takes the main landmark, then a single article", () => {
    expect(
      findContent(page(`<nav>${prose(3, "n")}</nav><main>${prose(2, "m")}</main>`), null)?.tagName,
    ).toBe("MAIN");
    expect(
      findContent(page(`<div>${prose(1, "x")}</div><article>${prose(2, "a")}</article>`), null)
        ?.tagName,
    ).toBe("ARTICLE");
  });

  it("finds the draft among navigation and footer on a page without landmarks", () => {
    const doc = page(
      `<div class="menu"><ul><li>Home</li><li>News</li><li>Contact</li></ul></div>
       <div id="wrap"><div id="text"><section>${prose(4, "s1")}</section><section>${prose(5, "s2")}</section></div>
       <div class="side"><p>Related links</p></div></div>
       <footer>${prose(1, "f")}</footer>`,
    );
    expect(findContent(doc, null)?.id).toBe("text");
  });
});

describe("hasText", () => {
  it("counts characters that are not spaces, up to the minimum", async () => {
    const { hasText } = await import("./find-content.ts");
    const doc = page(`<div id="a">  ab <b> c </b>\n</div><div id="b">   </div>`);
    const a = doc.getElementById("a") as Element;
    expect(hasText(a, 3)).toBe(true);
    expect(hasText(a, 4)).toBe(false);
    expect(hasText(doc.getElementById("b") as Element, 1)).toBe(false);
  });
});
