import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCmsComments } from "./test-fixtures.ts";
import {
  decodeEntities,
  FAST_PATH_TEXT,
  fastFeatures,
  fullNormalize,
  htmlToText,
  jaccard,
  normalizeText,
  shingles,
  shinglesOfNormalized,
  textKey,
  tokenize,
} from "./text-features.ts";

describe("htmlToText", () => {
  it("turns the regulations.gov comment HTML into text", () => {
    const html =
      "Hello,<br/><br/><span style='padding-left: 30px'></span>Healthcare Providers &amp; Services (NDH). It&#39;s &ldquo;fine&rdquo;&hellip;";
    expect(htmlToText(html)).toBe(
      "Hello,\n\nHealthcare Providers & Services (NDH). It's \u201cfine\u201d\u2026",
    );
  });
  it("drops scripts and styles, keeps text as text", () => {
    expect(
      htmlToText("<p>a &lt;b&gt;</p><script>alert(1)</script><style>p{}</style><p>c</p>"),
    ).toBe("a <b>\n\nc");
  });
  it("decodes numeric references and leaves unknown names alone", () => {
    expect(decodeEntities("&#x4E2D;&#25991; &foo; &#0;")).toBe("中文 &foo; \ufffd");
  });
});

describe("normalizeText", () => {
  it("lower-cases, applies NFKC, strips punctuation and collapses whitespace", () => {
    expect(normalizeText("  Ｈｅｌｌｏ,\tWORLD!!  It’s  “OK”…\n")).toBe("hello world it s ok");
    expect(normalizeText("STRASSE straße")).toBe("strasse strasse");
    // Capital sharp s and its lower-case form (found by the property test of ClusterIndex).
    expect(normalizeText("ẞ ß")).toBe("ss ss");
    expect(normalizeText("我覺得，Uber 應該合法。")).toBe("我覺得 uber 應該合法");
  });
  it("takes a fast path only where it gives the same result as the full path", () => {
    for (let c = 0; c < 0x2070; c++) {
      const ch = String.fromCharCode(c);
      const text = `a${ch}B`;
      if (!FAST_PATH_TEXT.test(text)) continue;
      expect(normalizeText(text), `U+${c.toString(16)}`).toBe(fullNormalize(text));
    }
  });
});

describe("tokenize", () => {
  it("splits spaced scripts on spaces", () => {
    expect(tokenize("Sex matters. Please continue!")).toEqual([
      "sex",
      "matters",
      "please",
      "continue",
    ]);
  });
  it("segments Chinese into words with Intl.Segmenter (Node's ICU has a dictionary)", () => {
    const words = tokenize("探討法律、稅務、安全等問題時，應先理解供需，為什麼民眾會選擇Uber");
    expect(words).toContain("法律");
    expect(words).toContain("為什麼");
    expect(words).toContain("uber");
    expect(words.some((w) => w.length > 1 && /\p{Script=Han}/u.test(w))).toBe(true);
  });
});

describe("shingles", () => {
  it("are word 3-grams for spaced text", () => {
    expect(shingles("one two three four").length).toBe(2);
    expect(shingles("I agree").length).toBe(1);
    expect(shingles("").length).toBe(0);
    expect(shingles("One, two three; FOUR")).toEqual(shingles("one two three four"));
  });
  it("are character 2/3-grams for Chinese, ignoring spaces and punctuation between characters", () => {
    expect(shingles("我覺得應該開放")).toEqual(shingles("我 覺得，應該 開放。"));
    // 7 characters: 6 bigrams + 5 trigrams
    expect(shingles("我覺得應該開放").length).toBe(11);
  });
  it("measure one edited character as a small change", () => {
    const a = shingles("我覺得應該開放司機同時接受多家派遣");
    const b = shingles("我覺得應該開放司機同時接受多個派遣");
    expect(jaccard(a, b)).toBeGreaterThan(0.6);
    expect(jaccard(a, shingles("我覺得尖峰時段可以彈性提高收費"))).toBeLessThan(0.1);
  });
});

describe("fastFeatures", () => {
  const slow = (text: string) => {
    const normal = normalizeText(text);
    return { key: textKey(normal), shingles: shinglesOfNormalized(normal) };
  };

  it("gives the key and shingles of the normalised text, for any fast-path text", () => {
    const chars = fc.constantFrom(..."aZ09 .,-'\n\t\u00a0\u2019\u201c\u2014\u2026xyQ");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (cs) => {
        const text = cs.join("");
        expect(fastFeatures(text)).toEqual(slow(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees on every real CMS comment and declines text off the fast path", () => {
    let fast = 0;
    for (const c of loadCmsComments()) {
      const text = htmlToText(c.comment);
      const f = fastFeatures(text);
      if (f === null) continue;
      fast++;
      expect(f).toEqual(slow(text));
    }
    expect(fast).toBeGreaterThan(600);
    expect(fastFeatures("Café au lait")).toBeNull();
    expect(fastFeatures("我覺得")).toBeNull();
  });
});
