import type { Pool } from 'pg';

/** Latency percentiles in milliseconds (null when there was nothing to measure). */
export interface LatencyPercentiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** How many samples they summarise. */
  readonly samples: number;
}

interface PercentileRow {
  readonly samples: number;
  readonly percentiles: (number | null)[] | null;
}

/**
 * The p50/p95/p99 of the `ms` column of `samplesSql` (a query over validated identifiers, with `values` as its
 * parameters), computed by PostgreSQL so that no sample leaves the database.
 */
export async function latencyPercentiles(pool: Pool, samplesSql: string, values: readonly unknown[] = []): Promise<LatencyPercentiles> {
  const { rows } = await pool.query<PercentileRow>(
    `SELECT count(*)::int AS samples, percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms) AS percentiles FROM (${samplesSql}) AS samples`,
    [...values],
  );
  const [p50, p95, p99] = rows[0].percentiles ?? [null, null, null];
  return { p50: rounded(p50), p95: rounded(p95), p99: rounded(p99), samples: rows[0].samples };
}

/** Milliseconds between two timestamptz expressions, as SQL. */
export function millisecondsBetween(from: string, to: string): string {
  return `extract(epoch FROM (${to} - ${from})) * 1000`;
}

function rounded(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(value * 10) / 10;
}
