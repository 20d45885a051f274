// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import {
  buildTextIndex,
  nodeSpan,
  offsetOf,
  rangeFromOffsets,
  textIndexSteps,
} from "./text-index.ts";

function dom(html: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div;
}

describe("text index", () => {
  it("is exactly textContent", () => {
    const root = dom("<p>One <b>two</b></p><p>three<i></i> four</p><!-- x --><script>s</script>");
    expect(buildTextIndex(root).text).toBe(root.textContent);
  });

  it("is the same built in steps, with pauses on a large tree", () => {
    const root = dom("<p>One <b>two</b> <i>x</i></p>".repeat(2000));
    const steps = textIndexSteps(root);
    let step = steps.next();
    let pauses = 0;
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBeGreaterThan(1);
    const whole = buildTextIndex(root);
    expect(step.value.text).toBe(root.textContent);
    expect(step.value.nodes).toEqual(whole.nodes);
    expect(step.value.starts).toEqual(whole.starts);
  });

  it("maps offsets to ranges and back, element boundaries included", () => {
    const root = dom("<p>One <b>two</b></p><p>three four</p>");
    const index = buildTextIndex(root);
    const range = rangeFromOffsets(index, 4, 12);
    expect(range.toString()).toBe("twothree");
    expect(offsetOf(index, range.startContainer, range.startOffset)).toBe(4);
    expect(offsetOf(index, range.endContainer, range.endOffset)).toBe(12);
    const p2 = root.children[1] as Element;
    expect(offsetOf(index, root, 1)).toBe(7);
    expect(offsetOf(index, root, 2)).toBe(17);
    expect(offsetOf(index, p2, 0)).toBe(7);
    expect(nodeSpan(index, p2)).toEqual([7, 17]);
  });

  it("does not let an end boundary spill into the next element", () => {
    const root = dom("<p>alpha</p><p>beta</p>");
    const range = rangeFromOffsets(buildTextIndex(root), 0, 5);
    expect(range.endContainer.textContent).toBe("alpha");
  });
});
