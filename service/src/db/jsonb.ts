import { type RawBuilder, sql } from "kysely";

/**
 * A value for a jsonb column. The text cast matters: postgres.js would
 * otherwise JSON-encode an already encoded string a second time, while
 * PGlite would not, and the two back ends must store the same thing.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value)}::text::jsonb`;
}
