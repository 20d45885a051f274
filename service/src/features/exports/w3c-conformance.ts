import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/**
 * The W3C Web Annotation conformance suite's MUST assertions (w3c/web-annotation-tests,
 * copied into ./w3c-suite with its licence). Exports are checked against them in tests;
 * imports are checked against them before anything is stored.
 */
const SUITE = fileURLToPath(new URL("./w3c-suite/", import.meta.url));

interface Assertion {
  id: string;
  expectedResult?: "valid" | "invalid";
  errorMessage?: string;
  title?: string;
}

export interface Violation {
  assertion: string;
  message: string;
}

export interface Conformance {
  /** How many MUST assertions each annotation is checked against (54 in the suite). */
  readonly assertionCount: number;
  /** Every MUST assertion this annotation fails; empty when it conforms. */
  check(annotation: unknown): Violation[];
}

const readJson = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

function buildConformance(): Conformance {
  // The suite is draft-04 and carries its own keywords (assertionType, errorMessage…).
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  addFormats(ajv);
  const definitions = join(SUITE, "definitions");
  for (const file of readdirSync(definitions).filter((f) => f.endsWith(".json")))
    ajv.addSchema(readJson(join(definitions, file)));
  const list = readJson(join(SUITE, "annotations", "annotationMusts.json")).assertions as string[];
  const checks = list.map((file) => {
    const schema = readJson(join(SUITE, file)) as unknown as Assertion;
    const validate = ajv.compile(schema as object);
    const expectValid = schema.expectedResult !== "invalid";
    const message = (schema.errorMessage ?? schema.title ?? file).replace(/^ERROR:\s*/, "");
    return (annotation: unknown): Violation | null =>
      validate(annotation) === expectValid ? null : { assertion: schema.id, message };
  });
  return {
    assertionCount: checks.length,
    check: (annotation) => checks.flatMap((c) => c(annotation) ?? []),
  };
}

let shared: Conformance | undefined;

/** Compiled once per process: the suite never changes while it runs. */
export function w3cConformance(): Conformance {
  shared ??= buildConformance();
  return shared;
}
