import type { Pool } from 'pg';

/** One table of the run's schema after the run: rows, dead tuples, and its size on disk with indexes and TOAST. */
export interface TableSize {
  readonly liveRows: number;
  readonly deadRows: number;
  readonly totalBytes: number;
}

interface SizeRow {
  readonly table: string;
  readonly live: string;
  readonly dead: string;
  readonly bytes: string;
}

/**
 * Rows, dead tuples (pg_stat_user_tables, as of the last statistics flush; autovacuum may have run) and
 * on-disk size of each table of `schema`, read before the schema is dropped.
 */
export async function tableSizes(pool: Pool, schema: string): Promise<Record<string, TableSize>> {
  const { rows } = await pool.query<SizeRow>(
    `SELECT relname AS table, n_live_tup AS live, n_dead_tup AS dead, pg_total_relation_size(relid) AS bytes
     FROM pg_stat_user_tables WHERE schemaname = $1 ORDER BY relname`,
    [schema],
  );
  return Object.fromEntries(
    rows.map((row) => [row.table, { liveRows: Number(row.live), deadRows: Number(row.dead), totalBytes: Number(row.bytes) }]),
  );
}

/** The server's WAL position in bytes (server-wide: other users of the server write WAL too). */
export async function walPositionBytes(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes`);
  return Number(rows[0].bytes);
}
