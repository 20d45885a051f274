import { describe, expect, it } from "vitest";
import { frameAncestors } from "./widget.ts";

describe("frameAncestors", () => {
  it("gives each registered site's origin once, and nothing for what is not a URL", () => {
    expect(
      frameAncestors([
        "https://www.mol.gov.tw/drafts/*",
        "https://www.mol.gov.tw/other/*",
        "http://localhost:8080/a",
        "not a url",
      ]),
    ).toEqual(["https://www.mol.gov.tw", "http://localhost:8080"]);
    expect(frameAncestors([])).toEqual([]);
  });
});
