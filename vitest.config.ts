import { defineConfig } from "vitest/config";

// Unit and integration tests live beside the code they test.
// End-to-end browser tests live in tests/ and have their own config.
export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.{ts,tsx}",
      "service/src/**/*.test.ts",
      "widget/src/**/*.test.{ts,tsx}",
      "extension/src/**/*.test.{ts,tsx}",
    ],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
