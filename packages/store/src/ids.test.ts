import { ClientIdSchema } from "@margin/model";
import { describe, expect, it } from "vitest";
import { idMaker, uuidv7 } from "./ids.ts";

describe("uuidv7", () => {
  it("makes ids the model accepts as client ids, ordered by time", () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(ClientIdSchema.safeParse(a).success).toBe(true);
    expect(a < b).toBe(true);
    expect(a.slice(0, 13)).toBe("018bcfe5-6800");
    const next = idMaker(() => 0);
    expect(next()).not.toBe(next());
  });
});
