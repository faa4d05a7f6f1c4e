import type { Pool } from 'pg';
import { advisoryLockKey } from './advisory-lock-key';
import type { Migration } from './migration.interface';
import { MIGRATIONS } from './migrations';
import { quoteSchema } from './schema-name';
import { withTransaction } from './transaction';

/**
 * Creates the schema and applies the migrations it lacks, in one transaction that holds an advisory
 * lock derived from the schema name: processes starting at once wait for each other, and each
 * migration is applied exactly once.
 * @returns the versions applied by this call.
 */
export async function migrateSchema(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const s = quoteSchema(schema);
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(`strategos:migrate:${schema}`)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(schema));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}
