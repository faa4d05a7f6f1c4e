import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';

/** Rows written and index/sequential scans of one table, per workflow step. */
export interface TableActivity {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly indexScans: number;
  readonly sequentialScans: number;
}

interface StatRow {
  readonly table: string;
  readonly inserted: string;
  readonly updated: string;
  readonly deleted: string;
  readonly index_scans: string | null;
  readonly sequential_scans: string | null;
}

/** How long backends that just disconnected take to flush their statistics. */
const STATS_FLUSH_MS = 1_000;

/**
 * The work the run did in `schema`'s tables (pg_stat_user_tables), divided by `steps`. Read after the
 * run's connections closed: a backend reports its counts when it exits, or within a second when idle.
 */
export async function tableActivityPerStep(pool: Pool, schema: string, steps: number): Promise<Record<string, TableActivity>> {
  await sleep(STATS_FLUSH_MS);
  const { rows } = await pool.query<StatRow>(
    `SELECT relname AS table, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_del AS deleted, idx_scan AS index_scans, seq_scan AS sequential_scans
     FROM pg_stat_user_tables WHERE schemaname = $1 ORDER BY relname`,
    [schema],
  );
  const perStep = (value: string | null): number => Math.round((Number(value ?? 0) / steps) * 100) / 100;
  return Object.fromEntries(
    rows.map((row) => [
      row.table,
      {
        inserted: perStep(row.inserted),
        updated: perStep(row.updated),
        deleted: perStep(row.deleted),
        indexScans: perStep(row.index_scans),
        sequentialScans: perStep(row.sequential_scans),
      },
    ]),
  );
}
