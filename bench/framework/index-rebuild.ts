import type { PoolClient } from 'pg';

interface TableIndex {
  readonly table: string;
  readonly index: string;
  /** `CREATE [UNIQUE] INDEX ...` as PostgreSQL prints it (schema-qualified). */
  readonly definition: string;
  /** The primary-key or unique constraint the index backs, or null. */
  readonly constraintName: string | null;
  readonly constraintType: 'p' | 'u' | null;
}

/**
 * Runs `write` (a bulk insert, on `client`, inside its transaction) with the indexes of `tables` dropped, then builds
 * them again from their definitions (constraints included): building an index from sorted rows is several times
 * faster than inserting a million random keys into it one by one.
 */
export async function withIndexesRebuilt(
  client: PoolClient,
  schema: string,
  tables: readonly string[],
  write: () => Promise<void>,
): Promise<void> {
  const { rows: indexes } = await client.query<TableIndex>(
    `SELECT t.relname AS table, ix.relname AS index, pg_get_indexdef(i.indexrelid) AS definition,
       c.conname AS "constraintName", c.contype AS "constraintType"
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_class ix ON ix.oid = i.indexrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace
     LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('p', 'u')
     WHERE ns.nspname = $1 AND t.relname = ANY($2::text[])`,
    [schema, tables],
  );
  const s = `"${schema}"`;
  for (const index of indexes) {
    await client.query(
      index.constraintName === null
        ? `DROP INDEX ${s}."${index.index}"`
        : `ALTER TABLE ${s}."${index.table}" DROP CONSTRAINT "${index.constraintName}"`,
    );
  }
  await write();
  await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const index of indexes) {
    await client.query(index.definition);
    if (index.constraintName !== null)
      await client.query(
        `ALTER TABLE ${s}."${index.table}" ADD CONSTRAINT "${index.constraintName}" ${index.constraintType === 'p' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX "${index.index}"`,
      );
  }
}
