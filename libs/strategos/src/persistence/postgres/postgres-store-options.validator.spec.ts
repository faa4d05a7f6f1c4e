import { Pool } from 'pg';
import { PostgresOptionsError } from './postgres-options.error';
import { PostgresWorkflowStore } from './postgres-workflow-store';
import { validatePostgresStoreOptions } from './postgres-store-options.validator';

const url = 'postgres://postgres@127.0.0.1:5432/test';

function errorOf(run: () => unknown): PostgresOptionsError {
  try {
    run();
  } catch (error) {
    return error as PostgresOptionsError;
  }
  throw new Error('expected an error');
}

describe('validatePostgresStoreOptions', () => {
  it('applies the defaults', () => {
    expect(validatePostgresStoreOptions({ url })).toEqual({
      schema: 'strategos',
      poolSize: 10,
      connectionTimeoutMs: 10_000,
      applicationName: 'strategos',
      notifications: true,
    });
  });

  it.each(['orders', '_private', 'a', 'a'.repeat(63), 'select', 't_0a1b2c'])('accepts the schema name %p', (schema) => {
    expect(validatePostgresStoreOptions({ url, schema }).schema).toBe(schema);
  });

  it.each(['', 'Orders', '1st', 'a-b', 'a.b', 'a"b', 'x; DROP TABLE y', 'a'.repeat(64)])(
    'rejects the schema name %p, naming postgres.schema',
    (schema) => {
      const error = errorOf(() => validatePostgresStoreOptions({ url, schema }));
      expect(error).toBeInstanceOf(PostgresOptionsError);
      expect(error.code).toBe('INVALID_POSTGRES_OPTIONS');
      expect(error.option).toBe('postgres.schema');
      expect(error.message).toContain('postgres.schema');
    },
  );

  it.each([0, -1, 1.5, Number.NaN])('rejects the pool size %p, naming postgres.poolSize', (poolSize) => {
    expect(errorOf(() => validatePostgresStoreOptions({ url, poolSize })).option).toBe('postgres.poolSize');
  });

  it.each([0, 2.5])('rejects the connection timeout %p, naming postgres.connectionTimeoutMs', (connectionTimeoutMs) => {
    expect(errorOf(() => validatePostgresStoreOptions({ url, connectionTimeoutMs })).option).toBe('postgres.connectionTimeoutMs');
  });

  it('rejects a notifications flag that is not a boolean, naming postgres.notifications', () => {
    const notifications = 'yes' as unknown as boolean;
    expect(errorOf(() => validatePostgresStoreOptions({ url, notifications })).option).toBe('postgres.notifications');
    expect(validatePostgresStoreOptions({ url, notifications: false }).notifications).toBe(false);
  });

  it('asks for a url when no pool is given', () => {
    expect(errorOf(() => validatePostgresStoreOptions({})).option).toBe('postgres.url');
  });

  it('accepts a pool instead of a url', async () => {
    const pool = new Pool({ connectionString: url });
    expect(validatePostgresStoreOptions({ pool }).schema).toBe('strategos');
    await pool.end();
  });
});

describe('PostgresWorkflowStore options', () => {
  it('rejects an invalid schema at construction, before any connection', () => {
    expect(() => new PostgresWorkflowStore({ url, schema: 'Bad-Name' })).toThrow(PostgresOptionsError);
  });
});
