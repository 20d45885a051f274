import { defineConfig } from "vitest/config";

// End-to-end: real service processes, real Chromium. One file at a time on a 2-core machine.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["e2e/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
