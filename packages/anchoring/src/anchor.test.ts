import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anchor, anchorAll, anchorAllYielding } from "./anchor.ts";
import { describe as describeRange } from "./describe.ts";
import type { Selector } from "./selectors.ts";
import { reanchor, same, selectorsFor } from "./test/helpers.ts";
import { FIXTURES, fixtureHtml, loadFixture, parse } from "./test/load.ts";
import { buildTextIndex, rangeFromOffsets } from "./text-index.ts";

const zh = fixtureHtml(FIXTURES.laborZh);
const en = fixtureHtml(FIXTURES.laborEn);
const fr = fixtureHtml(FIXTURES.fisheries);
const gpo = fixtureHtml(FIXTURES.cmsGpo);

describe("round trip on the real drafts: describe then anchor gives the same text", () => {
  for (const name of Object.values(FIXTURES)) {
    it(name, () => {
      const doc = loadFixture(name);
      const root = doc.body;
      const index = buildTextIndex(root);
      const n = index.text.length;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: n - 1 }),
          fc.integer({ min: 1, max: 300 }),
          (start, len) => {
            const end = Math.min(n, start + len);
            const range = rangeFromOffsets(index, start, end);
            const selectors = describeRange(root, range);
            const quote = selectors[0] as Extract<Selector, { type: "TextQuoteSelector" }>;
            expect(quote.exact).toBe(index.text.slice(start, end));
            const back = anchor(root, selectors);
            if (quote.exact.trim() === "") return; // whitespace alone has nothing to match
            expect(back?.toString()).toBe(quote.exact);
          },
        ),
        { numRuns: 60, seed: 42 },
      );
    });
  }

  it("finds the same words by quote alone when positions are lost", () => {
    const doc = loadFixture(FIXTURES.laborEn);
    const sel = selectorsFor(en, "protect workers' rights and interests").filter(
      (s) => s.type === "TextQuoteSelector",
    );
    expect(anchor(doc.body, sel)?.toString()).toBe("protect workers' rights and interests");
  });
});

describe("describe()", () => {
  it("stores quote, context, position and paragraph key", () => {
    const sel = selectorsFor(zh, "保障勞工權益");
    expect(sel).toEqual([
      {
        type: "TextQuoteSelector",
        exact: "保障勞工權益",
        prefix: expect.any(String),
        suffix: expect.any(String),
      },
      { type: "TextPositionSelector", start: expect.any(Number), end: expect.any(Number) },
      { type: "ParagraphSelector", key: "art-1.p1" },
    ]);
    const q = sel[0] as any;
    expect(q.prefix.endsWith("為規定勞動條件最低標準，")).toBe(true);
    expect(q.prefix.length).toBe(32);
    expect(q.suffix.startsWith("，加強勞雇關係")).toBe(true);
  });

  it("omits the paragraph key when the selection spans paragraphs", () => {
    const sel = selectorsFor(zh, "特制定本法；本法未規定者，適用其他法律之規定。雇主與勞工");
    expect(sel.some((s) => s.type === "ParagraphSelector")).toBe(false);
  });

  it("keys <pre> paragraphs by their blank-line block", () => {
    const sel = selectorsFor(gpo, "solicits public comments on");
    expect(sel[2]?.type).toBe("ParagraphSelector");
  });
});

describe("anchor() after the page changed: the same words, or nothing", () => {
  it("whitespace and markup changes", () => {
    const edited = en.replace(
      "provide minimum  standards  for  working conditions",
      "provide <em>minimum</em>\n   standards for <span class=x>working\nconditions</span>",
    );
    expect(same(reanchor(en, "provide minimum  standards  for  working conditions", edited))).toBe(
      "provide minimum standards for working conditions",
    );
    const zhEdited = zh.replace(
      "<p>雇主與勞工所訂勞動條件",
      '\n  <p class="x"><span>雇主與勞工</span>所訂\n勞動條件',
    );
    expect(same(reanchor(zh, "雇主與勞工所訂勞動條件", zhEdited))).toBe("雇主與勞工所訂 勞動條件");
  });

  it("a typo fixed inside the quote", () => {
    const typo = en.replace(
      "strengthen employee-employer relationships",
      "strenghten employee-employer relationships",
    );
    expect(same(reanchor(typo, "strenghten employee-employer relationships and promote", en))).toBe(
      "strengthen employee-employer relationships and promote",
    );
    const zhTypo = zh.replace(
      "加強勞雇關係，促進社會與經濟發展",
      "加強勞僱關係，促進社會與經濟發展",
    );
    expect(same(reanchor(zh, "加強勞雇關係，促進社會與經濟發展", zhTypo))).toBe(
      "加強勞僱關係,促進社會與經濟發展",
    );
  });

  it("words inserted or removed nearby and inside", () => {
    const words = "The terms and conditions of any agreement between an employer and a worker";
    const edited = en.replace(
      "The terms and conditions of any agreement between an employer and a worker shall not be below",
      "Notwithstanding Article 84, the terms and conditions of any written agreement between an employer and a worker shall never be below",
    );
    expect(same(reanchor(en, words, edited))).toBe(
      "the terms and conditions of any written agreement between an employer and a worker",
    );
  });

  it("paragraphs and articles inserted above", () => {
    const inserted = zh.replace(
      '<section class="article" id="art-2">',
      '<section class="article" id="art-1-1"><h3>第 1-1 條</h3><p>本法所稱勞工，包括部分工時勞工。</p><p>部分工時勞工之勞動條件，由中央主管機關定之。</p></section><section class="article" id="art-2">',
    );
    for (const w of [
      "工資：指勞工因工作而獲得之報酬",
      "本法於左列各業適用之",
      "指從事勞動派遣業務之事業單位",
    ]) {
      expect(reanchor(zh, w, inserted)).toBe(w);
    }
    const frEdited = fr.replace(
      '<section class="sum">',
      '<p class="p">A new paragraph of agency text inserted above. </p>'.repeat(20) +
        '<section class="sum">',
    );
    const w =
      "This action would also revise regulatory text that is unnecessary, outdated, or unclear.";
    expect(reanchor(fr, w, frEdited)).toBe(w);
  });

  it("punctuation swaps: en dash to hyphen, full-width to half-width", () => {
    const w = "NOAA–NMFS–";
    const frEdited = fr.replaceAll("NOAA–NMFS–", "NOAA-NMFS-");
    expect(reanchor(fr, "identified by NOAA–NMFS–", frEdited)).toBe("identified by NOAA-NMFS-");
    expect(w).toContain("–");
    const zhHalf = zh.replace(
      "為規定勞動條件最低標準，保障勞工權益，加強勞雇關係",
      "為規定勞動條件最低標準, 保障勞工權益, 加強勞雇關係",
    );
    expect(reanchor(zh, "最低標準，保障勞工權益，加強", zhHalf)).toBe(
      "最低標準, 保障勞工權益, 加強",
    );
  });

  it("the paragraph moved elsewhere", () => {
    const para =
      "<p>本法所稱主管機關：在中央為勞動部；在直轄市為直轄市政府；在縣（市）為縣（市）政府。</p>";
    expect(zh).toContain(para);
    const moved = zh
      .replace(para, "")
      .replace("</main>", `<section class="article" id="art-99">${para}</section></main>`);
    const w = "在直轄市為直轄市政府";
    expect(reanchor(zh, w, moved)).toBe(w);
  });

  it("the passage deleted: orphan, even when a similar paragraph stays", () => {
    const w = "本法中華民國八十九年六月二十八日修正公布之第三十條第一項及第二項";
    const start = zh.indexOf("<p>本法中華民國八十九年");
    const end = zh.indexOf("</p>", start) + 4;
    expect(start).toBeGreaterThan(0);
    const deleted = zh.slice(0, start) + zh.slice(end);
    expect(reanchor(zh, w, deleted)).toBeNull();
    const enDeleted = en.replace(/<p>The terms and conditions of any agreement[^<]*<\/p>/, "");
    expect(
      reanchor(en, "The terms and conditions of any agreement between an employer", enDeleted),
    ).toBeNull();
    const short = en.replace(/<p>1\. Worker means[^<]*<\/p>/, "");
    expect(reanchor(en, "Worker means", short)).toBeNull();
  });

  it("a quote that appears twice is told apart by its context", () => {
    // "中央主管機關" occurs many times; pick the 5th and shift everything by inserting text above.
    const inserted = zh.replace("<main>", "<main><p>新增前言：本草案由勞動部提出。</p>");
    const doc = parse(inserted);
    const sel = selectorsFor(zh, "中央主管機關", 4);
    const range = anchor(
      doc.body,
      sel.filter((s) => s.type !== "TextPositionSelector"),
    );
    const want = buildTextIndex(parse(zh).body).text;
    let at = -1;
    for (let i = 0; i < 5; i++) at = want.indexOf("中央主管機關", at + 1);
    const context = want.slice(at - 10, at + 16);
    const got = buildTextIndex(doc.body).text;
    const gotStart = buildTextIndex(doc.body).text.indexOf(context);
    expect(range?.toString()).toBe("中央主管機關");
    // The anchored occurrence is the one inside the same surrounding words.
    const idx = buildTextIndex(doc.body);
    const rs = idx.nodes.indexOf(range?.startContainer as Text);
    const absolute = (idx.starts[rs] as number) + (range?.startOffset as number);
    expect(got.slice(absolute - 10, absolute + 16)).toBe(context);
    expect(gotStart).toBeGreaterThan(0);
  });

  it("a duplicated sentence after an edit picks the occurrence whose paragraph matches", () => {
    const html =
      "<body><p>Alpha section. The fee is ten dollars. End alpha.</p><p>Beta section. The fee is ten dollars. End beta.</p></body>";
    const edited = html.replace("Alpha section.", "Alpha section, amended.");
    expect(same(reanchor(html, "The fee is ten dollars.", edited, 1))).toBe(
      "The fee is ten dollars.",
    );
    const sel = selectorsFor(html, "The fee is ten dollars.", 1);
    const r = anchor(parse(edited).body, sel);
    expect(r?.startContainer.textContent).toContain("Beta");
  });

  it("Chinese: clause inserted in the sentence and punctuation changed", () => {
    const w = "雇主與勞工所訂勞動條件，不得低於本法所定之最低標準";
    const edited = zh.replace(w, "雇主與勞工所訂之勞動條件,不得低於本法所定之最低標準");
    expect(reanchor(zh, w, edited)).toBe("雇主與勞工所訂之勞動條件,不得低於本法所定之最低標準");
  });

  it("the <pre> page: a paragraph inserted and the lines re-wrapped", () => {
    const w =
      "This request for information solicits public comments on \nestablishing a National Directory";
    const edited = gpo
      .replace("SUMMARY: This request", "NEW: An inserted paragraph.\n\nSUMMARY: This request")
      .replace(
        "solicits public comments on \nestablishing",
        "solicits public comments\non establishing",
      );
    expect(same(reanchor(gpo, w, edited))).toBe(
      same(
        "This request for information solicits public comments on establishing a National Directory",
      ),
    );
  });
});

describe("anchorAll / anchorAllYielding", () => {
  it("agree with anchor() and keep input order", async () => {
    const words = [
      "保障勞工權益",
      "工資：指勞工因工作而獲得之報酬",
      "不存在的文字不存在的文字不存在",
    ];
    const lists = words.map((w) =>
      w.startsWith("不存在")
        ? [{ type: "TextQuoteSelector" as const, exact: w, prefix: "", suffix: "" }]
        : selectorsFor(zh, w),
    );
    lists.reverse();
    const doc = parse(zh.replace("<main>", "<main><p>新增段落。</p>"));
    const all = anchorAll(doc.body, lists).map((r) => r?.toString() ?? null);
    expect(all).toEqual([null, "工資：指勞工因工作而獲得之報酬", "保障勞工權益"]);
    const yielding = await anchorAllYielding(doc.body, lists, { budgetMs: 1 });
    expect(yielding.map((r) => r?.toString() ?? null)).toEqual(all);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      anchorAllYielding(parse(zh).body, [], { signal: controller.signal }),
    ).rejects.toBeDefined();
  });
});

describe("never the wrong words (patterns from the benchmark's edited page)", () => {
  const row = (label: string, a: string, b: string, c: string) =>
    `<tr><td>${label}</td><td>${a}</td><td>${b}</td><td>${c}</td></tr>`;
  const table = (rows: string) => `<table><tbody>${rows}</tbody></table>`;
  const coords = table(
    row("NYB1", "40°00′", "73°20′", "A") +
      row("NYB2", "40°00′", "72°30′", "B") +
      row("NYB3", "39°20′", "72°30′", "C") +
      row("NYB4", "39°20′", "73°20′", "D"),
  );
  // The same table twice on the page (preamble and regulatory text), far apart.
  const filler = `<p>${"Unrelated explanatory text for the rule. ".repeat(250)}</p>`;
  const page = `<body><section id="pre">${coords}</section>${filler}<section id="reg">${coords}</section></body>`;

  it("a short quote edited in place does not jump to an identical copy elsewhere", () => {
    const edited = page.replace("<td>39°20′</td>", "<td>3e°2 and other 0′</td>");
    expect(reanchor(page, "39°20′", edited)).toBeNull();
  });

  it("a deleted cell does not jump to the same cell of the copy", () => {
    const edited = page.replace("<td>39°20′</td>", "");
    expect(reanchor(page, "39°20′", edited)).toBeNull();
  });

  it("a typo in place beats the verbatim copy", () => {
    const edited = page.replace("<td>39°20′</td>", "<td>39e20′</td>");
    expect(same(reanchor(page, "39°20′", edited))).toBe("39e20'");
  });

  const note = "Note: Articles 1 through 343 were amended lastly on February 6, 2003.";
  const law = `<body>${[1, 2, 3, 4]
    .map(
      (n) =>
        `<h3>Article ${n}</h3><p>Provision ${n} of the code, with its own words number ${n}.</p><p>${note}</p>`,
    )
    .join("")}</body>`;

  it("boilerplate repeated under every article: the edited one stays, or is orphaned", () => {
    const third = law.indexOf(note, law.indexOf("Article 3"));
    const edited = `${law.slice(0, third)}${note.replace("through", "theough")}${law.slice(third + note.length)}`;
    const got = reanchor(law, "Articles 1 through 343 were amended lastly", edited, 2);
    expect(got).toBe("Articles 1 theough 343 were amended lastly");
  });

  it("Myers' edges: inserted words are not swallowed by a substitution at the edge", () => {
    const html =
      "<body><p>三、應鑑定事項。四、應留置之處所及預定之期間。五、如不服鑑定留置之救濟方法。</p></body>";
    const edited = html.replace("留置之處所", "留置及其他之處所");
    const got = reanchor(html, "留置之處所及預定之期間", edited);
    expect(got === null || got === "留置及其他之處所及預定之期間").toBe(true);
  });

  it("a trailing edge follows the stored suffix", () => {
    const html =
      "<body><p>If jurisdiction cannot be determined by applying the provisions above, the court decides.</p></body>";
    const edited = html.replace("cannot be determined", "cannodetermined");
    expect(reanchor(html, "jurisdiction cannot be ", edited)).toBe("jurisdiction canno");
  });

  it("a quote of little but whitespace is not searched for", () => {
    const html =
      "<body><pre>(b) * * *\n\n          (\n     3\n      ) * * *\n\n(3) * * *</pre></body>";
    const edited = html.replace("(\n     3\n      )", "(\n  and other   3\n      )");
    expect(reanchor(html, "(\n     3\n      ", edited)).toBeNull();
  });
});
