import { describe, expect, it } from "vitest";
import { requestPersistentStorage } from "./persist.ts";

describe("persistent storage (S12)", () => {
  it("S12: reports granted, denied or unsupported", async () => {
    expect(await requestPersistentStorage(undefined)).toBe("unsupported");
    expect(await requestPersistentStorage({})).toBe("unsupported");
    expect(await requestPersistentStorage({ storage: { persist: async () => true } })).toBe(
      "granted",
    );
    expect(await requestPersistentStorage({ storage: { persist: async () => false } })).toBe(
      "denied",
    );
    expect(
      await requestPersistentStorage({
        storage: { persisted: async () => true, persist: async () => false },
      }),
    ).toBe("granted");
    expect(
      await requestPersistentStorage({
        storage: {
          persist: async () => {
            throw new Error("blocked");
          },
        },
      }),
    ).toBe("denied");
  });
});
