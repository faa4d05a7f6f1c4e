import { PostgresOptionsError } from './postgres-options.error';

/** The schema the store uses when none is configured. */
export const DEFAULT_SCHEMA = 'strategos';

/** A schema name the store accepts: interpolated into SQL, so only a plain lower-case identifier. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks that `schema` can be interpolated into SQL as an identifier.
 * @throws PostgresOptionsError `INVALID_POSTGRES_OPTIONS` naming `postgres.schema`.
 */
export function assertSchemaName(schema: unknown): asserts schema is string {
  if (typeof schema !== 'string' || !SCHEMA_NAME_PATTERN.test(schema)) {
    throw new PostgresOptionsError(
      'postgres.schema',
      `${JSON.stringify(schema)} is not a valid schema name; use 1 to 63 lower-case letters, digits and _, starting with a letter or _ (e.g. 'strategos')`,
    );
  }
}

/** The schema as a quoted SQL identifier (quoted so that a keyword such as `user` works too). */
export function quoteSchema(schema: string): string {
  return `"${schema}"`;
}
