import { PostgresOptionsError } from './postgres-options.error';
import type { PostgresStoreOptions } from './postgres-store-options.interface';
import { DEFAULT_SCHEMA, assertSchemaName } from './schema-name';

/** Default size of the pool the store creates. */
export const DEFAULT_POOL_SIZE = 10;

/** Default `application_name` of the store's connections. */
export const DEFAULT_APPLICATION_NAME = 'strategos';

/** {@link PostgresStoreOptions} with defaults applied. */
export interface ValidatedPostgresStoreOptions {
  readonly schema: string;
  readonly poolSize: number;
  readonly applicationName: string;
}

/**
 * Validates the options at start-up and applies the defaults.
 * @throws PostgresOptionsError `INVALID_POSTGRES_OPTIONS` naming the option (`postgres.schema`, `postgres.poolSize`, `postgres.url`).
 */
export function validatePostgresStoreOptions(options: PostgresStoreOptions): ValidatedPostgresStoreOptions {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  assertSchemaName(schema);
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new PostgresOptionsError('postgres.poolSize', `must be an integer of at least 1, got ${poolSize}`);
  }
  if (!options.pool && (typeof options.url !== 'string' || options.url.length === 0)) {
    throw new PostgresOptionsError('postgres.url', 'give a connection string (postgres://user@host:5432/db) or an existing pool in postgres.pool');
  }
  const applicationName = options.applicationName ?? DEFAULT_APPLICATION_NAME;
  return { schema, poolSize, applicationName };
}
