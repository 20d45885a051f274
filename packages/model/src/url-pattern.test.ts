import { describe, expect, it } from "vitest";
import { canonicalUrl } from "./canonical-url.ts";
import { matchesUrlPattern } from "./url-pattern.ts";

describe("matchesUrlPattern", () => {
  it("matches a wildcard path and ignores query and fragment", () => {
    expect(
      matchesUrlPattern(
        "https://law.gov.tw/drafts/*",
        "https://law.gov.tw/drafts/labor?utm=x#art-3",
      ),
    ).toBe(true);
    expect(matchesUrlPattern("https://law.gov.tw/drafts/*", "https://law.gov.tw/news/1")).toBe(
      false,
    );
  });
  it("treats dots and other regex characters literally", () => {
    expect(matchesUrlPattern("https://a.gov/x.html", "https://aXgov/x.html")).toBe(false);
    expect(matchesUrlPattern("https://a.gov/x.html", "https://a.gov/x.html")).toBe(true);
  });
  it("does not let a pattern match a longer host", () => {
    expect(matchesUrlPattern("https://a.gov/*", "https://a.gov.evil.com/x")).toBe(false);
  });
});

describe("canonicalUrl", () => {
  it("drops fragment, query and trailing slash, lower-cases the host", () => {
    expect(canonicalUrl("https://Law.GOV.tw/drafts/labor/?a=1#p3")).toBe(
      "https://law.gov.tw/drafts/labor",
    );
    expect(canonicalUrl("https://law.gov.tw/")).toBe("https://law.gov.tw/");
  });
});
