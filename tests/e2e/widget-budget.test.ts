import { describe, expect, it } from "vitest";
import { measureWidget } from "../support/widget-sizes.ts";

// The widget is built before these tests run (test:e2e). A library slipping into the
// frame (zod, through one import of the model's schemas) once took the sidebar from
// 58 to 81 KB without any other test noticing.
describe("the built widget", () => {
  it.each(measureWidget().filter((p) => p.target !== null))(
    "$label stays within its budget",
    ({ gz, target, raw }) => {
      expect(raw).toBeGreaterThan(0);
      expect(gz).toBeLessThanOrEqual((target as number) * 1024);
    },
  );
});
