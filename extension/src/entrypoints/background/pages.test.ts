import { describe, expect, it } from "vitest";
import { scopeOfPage } from "./pages.ts";

const patterns = {
  fetchedAt: 0,
  serviceUrl: "http://127.0.0.1:8787",
  consultations: [
    {
      id: "0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70",
      title: "勞動基準法",
      status: "open",
      urlPatterns: ["https://www.mol.gov.tw/drafts/*"],
    },
  ],
};

describe("scopeOfPage", () => {
  it("matches a consultation locally, ignoring query and fragment", () => {
    const s = scopeOfPage("https://www.mol.gov.tw/drafts/lsa?utm=x#art-1", patterns, []);
    expect(s?.consultation?.id).toBe("0190b2f8-8c3a-7d3e-9f1a-2b3c4d5e6f70");
    expect(s?.source).toBe("https://www.mol.gov.tw/drafts/lsa");
    expect(s?.siteEnabled).toBe(false);
  });

  it("an unregistered page is in scope only when its site is turned on", () => {
    const s = scopeOfPage("https://law.example.gov/act/1/", patterns, ["https://law.example.gov"]);
    expect(s?.consultation).toBeNull();
    expect(s?.source).toBe("https://law.example.gov/act/1");
    expect(s?.siteEnabled).toBe(true);
  });

  it("ignores non-web pages", () => {
    expect(scopeOfPage("chrome://extensions", patterns, [])).toBeNull();
  });
});
