import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';

/** Rows written and index/sequential scans of one table (per workflow step, or cumulative counters). */
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

/** The cumulative counters of `schema`'s tables (pg_stat_user_tables), by table, after waiting for a statistics flush. */
export async function tableCounters(pool: Pool, schema: string): Promise<Record<string, TableActivity>> {
  await sleep(STATS_FLUSH_MS);
  const { rows } = await pool.query<StatRow>(
    `SELECT relname AS table, n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_del AS deleted, idx_scan AS index_scans, seq_scan AS sequential_scans
     FROM pg_stat_user_tables WHERE schemaname = $1 ORDER BY relname`,
    [schema],
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.table,
      {
        inserted: Number(row.inserted),
        updated: Number(row.updated),
        deleted: Number(row.deleted),
        indexScans: Number(row.index_scans ?? 0),
        sequentialScans: Number(row.sequential_scans ?? 0),
      },
    ]),
  );
}

/**
 * The work the run did in `schema`'s tables (pg_stat_user_tables), less the counters `before` it (a preload's),
 * divided by `steps`. Read after the run's connections closed: a backend reports its counts when it exits, or within
 * a second when idle.
 */
export async function tableActivityPerStep(
  pool: Pool,
  schema: string,
  steps: number,
  before: Record<string, TableActivity> = {},
): Promise<Record<string, TableActivity>> {
  const after = await tableCounters(pool, schema);
  const perStep = (value: number): number => Math.round((value / steps) * 100) / 100;
  return Object.fromEntries(
    Object.entries(after).map(([table, counts]) => {
      const perStepSince = (counter: keyof TableActivity): number => perStep(counts[counter] - (before[table]?.[counter] ?? 0));
      return [
        table,
        {
          inserted: perStepSince('inserted'),
          updated: perStepSince('updated'),
          deleted: perStepSince('deleted'),
          indexScans: perStepSince('indexScans'),
          sequentialScans: perStepSince('sequentialScans'),
        },
      ];
    }),
  );
}
