import { PostgresOptionsError } from './postgres-options.error';
import type { PostgresStoreOptions } from './postgres-store-options.interface';
import { DEFAULT_SCHEMA, assertSchemaName } from './schema-name';

/** Default size of the pool the store creates. */
export const DEFAULT_POOL_SIZE = 10;

/** Default wait for a connection, in milliseconds. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

/** Default `application_name` of the store's connections. */
export const DEFAULT_APPLICATION_NAME = 'strategos';

/** {@link PostgresStoreOptions} with defaults applied. */
export interface ValidatedPostgresStoreOptions {
  readonly schema: string;
  readonly poolSize: number;
  readonly connectionTimeoutMs: number;
  readonly applicationName: string;
  readonly notifications: boolean;
}

/**
 * Validates the options at start-up and applies the defaults.
 * @throws PostgresOptionsError `INVALID_POSTGRES_OPTIONS` naming the option (`postgres.schema`, `postgres.poolSize`, `postgres.connectionTimeoutMs`, `postgres.url`, `postgres.notifications`).
 */
export function validatePostgresStoreOptions(options: PostgresStoreOptions): ValidatedPostgresStoreOptions {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  assertSchemaName(schema);
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new PostgresOptionsError('postgres.poolSize', `must be an integer of at least 1, got ${poolSize}`);
  }
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  if (!Number.isInteger(connectionTimeoutMs) || connectionTimeoutMs < 1) {
    throw new PostgresOptionsError(
      'postgres.connectionTimeoutMs',
      `must be a positive integer of milliseconds, got ${connectionTimeoutMs}`,
    );
  }
  if (!options.pool && (typeof options.url !== 'string' || options.url.length === 0)) {
    throw new PostgresOptionsError(
      'postgres.url',
      'give a connection string (postgres://user@host:5432/db) or an existing pool in postgres.pool',
    );
  }
  const applicationName = options.applicationName ?? DEFAULT_APPLICATION_NAME;
  const notifications = options.notifications ?? true;
  if (typeof notifications !== 'boolean') {
    throw new PostgresOptionsError('postgres.notifications', `must be true or false, got ${JSON.stringify(notifications)}`);
  }
  return { schema, poolSize, connectionTimeoutMs, applicationName, notifications };
}
