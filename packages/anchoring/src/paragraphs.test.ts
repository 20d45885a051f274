import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeText } from "./normalize.ts";
import {
  articleLabel,
  HASH_KEY,
  mayStartLabel,
  paragraphs,
  placedParagraphsSteps,
  preChunks,
} from "./paragraphs.ts";
import { FIXTURES, fixtureHtml, loadFixture, parse } from "./test/load.ts";

describe("mayStartLabel", () => {
  it("says whether the normalized text starts as a label can", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        " ",
        "\n",
        "\u00AD",
        "\u200B",
        "\u3000",
        "第",
        "Ａ",
        "ｓ",
        "§",
        "a",
        "S",
        "¨",
        "x",
        "條",
      ),
      fc.string({ unit: "grapheme-composite", maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const s = pieces.join("");
        expect(mayStartLabel(s)).toBe(/^[第aA§sS]/.test(normalizeText(s)));
      }),
      { numRuns: 500 },
    );
  });
});

describe("articleLabel", () => {
  it("reads article numbering in several scripts", () => {
    expect(articleLabel("第 1 條")).toBe("art-1");
    expect(articleLabel("第 3-1 條")).toBe("art-3-1");
    expect(articleLabel("第十条")).toBe("art-十");
    expect(articleLabel("Article 12-1")).toBe("art-12-1");
    expect(articleLabel("§ 648.14 ")).toBe("sec-648.14");
    expect(articleLabel("Background")).toBeNull();
  });
});

describe("preChunks", () => {
  it("splits at blank lines and trims", () => {
    const t = "a\nb\n\n  c\n \n\n\nd  \n";
    expect(preChunks(t).map((r) => t.slice(r.start, r.end))).toEqual(["a\nb", "c", "d"]);
  });
});

describe("paragraphs() on the real drafts", () => {
  it("Labor Standards Act (zh): one key per <p> in each article, from the article id", () => {
    const doc = loadFixture(FIXTURES.laborZh);
    const ps = paragraphs(doc);
    const expected: string[] = [];
    for (const section of Array.from(doc.querySelectorAll("section.article"))) {
      const ps2 = Array.from(section.querySelectorAll("p"));
      for (let i = 1; i <= ps2.length; i++) expected.push(`${section.id}.p${i}`);
    }
    expect(ps.map((p) => p.key)).toEqual(expected);
    expect(ps[0]).toMatchObject({ key: "art-1.p1" });
    expect(ps[0]?.text.startsWith("為規定勞動條件最低標準")).toBe(true);
    expect(ps.find((p) => p.key === "art-2.p2")?.text).toBe(
      "一、勞工:指受雇主僱用從事工作獲致工資者。",
    );
  });

  it("Labor Standards Act (en): article numbering gives the same keys as the Chinese text", () => {
    const en = paragraphs(loadFixture(FIXTURES.laborEn)).map((p) => p.key);
    expect(en.length).toBe(
      loadFixture(FIXTURES.laborEn).querySelectorAll("section.article p").length,
    );
    expect(en.slice(0, 3)).toEqual(["art-1.p1", "art-1.p2", "art-2.p1"]);
    expect(new Set(en).size).toBe(en.length);
  });

  it("Code of Criminal Procedure (zh): ~1,850 paragraphs, keys unique", () => {
    const doc = loadFixture(FIXTURES.criminalZh);
    const ps = paragraphs(doc);
    expect(ps.length).toBe(doc.querySelectorAll("section.article p").length);
    expect(ps.length).toBe(1866);
    expect(new Set(ps.map((p) => p.key)).size).toBe(ps.length);
    expect(ps.some((p) => p.key === "art-3-1.p1")).toBe(true);
  });

  it("Federal Register rule: hashed keys for the preamble, § numbering in the rule text", () => {
    const ps = paragraphs(loadFixture(FIXTURES.fisheries));
    expect(ps.length).toBeGreaterThan(500);
    expect(new Set(ps.map((p) => p.key)).size).toBe(ps.length);
    expect(ps[0]).toMatchObject({ text: "DEPARTMENT OF COMMERCE" });
    expect(ps[0]?.key).toMatch(/^p-[0-9a-z]{7}$/);
    expect(ps.some((p) => p.key === "sec-648.14.p1")).toBe(true);
    // Table cells are units; headings are not.
    expect(ps.some((p) => p.element.localName === "td")).toBe(true);
    expect(ps.some((p) => /^h[1-6]$/.test(p.element.localName))).toBe(false);
  });

  it("GPO <pre> page: split at blank lines, each with its span in the <pre>", () => {
    const doc = loadFixture(FIXTURES.cmsGpo);
    const ps = paragraphs(doc);
    const pre = doc.querySelector("pre") as Element;
    expect(ps.length).toBeGreaterThan(100);
    for (const p of ps) {
      expect(p.element).toBe(pre);
      expect(p.range).toBeDefined();
      const raw = (pre.textContent ?? "").slice(p.range?.start, p.range?.end);
      expect(raw).not.toMatch(/\n\s*\n/);
    }
    expect(
      ps.find((p) => p.text.startsWith("SUMMARY: This request for information")),
    ).toBeDefined();
  });

  it("keys are stable when an unrelated paragraph is inserted above", () => {
    for (const name of [FIXTURES.laborZh, FIXTURES.fisheries, FIXTURES.cmsGpo]) {
      const html = fixtureHtml(name);
      const before = paragraphs(parse(html));
      const edited = name.endsWith(".htm")
        ? html.replace("<pre>", "<pre>A new notice line inserted by the agency.\n\n")
        : html.replace("<main>", "<main><p>新增的說明段落 A new introductory paragraph.</p>");
      const after = paragraphs(parse(edited));
      expect(after.length).toBe(before.length + 1);
      const keys = new Set(after.map((p) => p.key));
      for (const p of before) expect(keys.has(p.key)).toBe(true);
    }
  });

  it("skips navigation, scripts, hidden content; keeps list items and cells", () => {
    const doc = parse(`<body><nav><p>Home</p></nav><header><p>Site</p></header>
      <main><p id="intro">Intro text</p><div hidden><p>secret</p></div>
      <p style="display: none">gone</p><script>var x = 1</script>
      <ul><li>First item</li><li>Lead-in: <ol><li>nested</li></ol></li></ul>
      <table><tr><td>cell A</td><td><p>cell B</p></td></tr></table>
      <div>Bare div text</div></main><footer><p>Footer</p></footer><aside>Aside</aside></body>`);
    const ps = paragraphs(doc);
    expect(ps.map((p) => p.text)).toEqual([
      "Intro text",
      "First item",
      "Lead-in: nested",
      "nested",
      "cell A",
      "cell B",
      "Bare div text",
    ]);
    expect(ps[0]?.key).toBe("intro");
  });

  it("heading-labelled articles without ids on a flat page", () => {
    const doc = parse(
      `<body><h2>Article 1</h2><p>One.</p><p>Two.</p><h2>Article 2</h2><p>Three.</p></body>`,
    );
    expect(paragraphs(doc).map((p) => p.key)).toEqual(["art-1.p1", "art-1.p2", "art-2.p1"]);
  });
});

describe("placedParagraphsSteps", () => {
  it("gives the units with place keys exactly as paragraphs() does, on every fixture", () => {
    for (const name of Object.values(FIXTURES)) {
      const root = parse(fixtureHtml(name)).body;
      const steps = placedParagraphsSteps(root);
      let step = steps.next();
      while (!step.done) step = steps.next();
      const expected = paragraphs(root).filter((p) => !HASH_KEY.test(p.key));
      expect(step.value.map((p) => [p.key, p.element, p.range])).toEqual(
        expected.map((p) => [p.key, p.element, p.range]),
      );
    }
  });
});

describe("paragraphsYielding", () => {
  it("gives the same units and keys as paragraphs(), in slices", async () => {
    const { Window } = await import("happy-dom");
    const { paragraphsYielding } = await import("./anchor.ts");
    const win = new Window();
    win.document.body.innerHTML = Array.from(
      { length: 400 },
      (_, i) =>
        `<section><h3>Article ${i + 1}</h3><p>Text of article ${i + 1}.</p><p>More.</p></section>`,
    ).join("");
    const root = win.document.body as unknown as Node;
    const whole = paragraphs(root).map((p) => p.key);
    const sliced = (await paragraphsYielding(root, { budgetMs: 0 })).map((p) => p.key);
    expect(sliced).toEqual(whole);
    expect(sliced).toHaveLength(800);
  });
});
