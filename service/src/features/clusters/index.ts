export * from "./cluster-index.ts";
export * from "./minhash.ts";
export * from "./overrides.ts";
export * from "./text-features.ts";
