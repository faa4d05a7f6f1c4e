import type { Pool } from 'pg';
import type { CompletionCounts } from '../completion-poller';
import { latencyPercentiles, millisecondsBetween, type LatencyPercentiles } from '../latency-stats';

/** What the framework's event log says about a finished run. */
export interface FrameworkMeasurements {
  /** When the last workflow completed (its `Completed` event), epoch ms. */
  readonly lastCompletedAtMs: number;
  /** `StepCompleted` events: the steps executed. */
  readonly stepsCompleted: number;
  /** From the `PhaseChanged` that moved to a step until that step's `StepCompleted`. */
  readonly stepLatencyMs: LatencyPercentiles;
  /** From `Started` to `Completed`. */
  readonly endToEndLatencyMs: LatencyPercentiles;
}

/** Instances started since `since` (the run's, not preloaded ones) by terminal status in the schema (the completion poll). */
export async function countTerminal(pool: Pool, schema: string, since: Date): Promise<CompletionCounts> {
  const { rows } = await pool.query<CompletionCounts>(
    `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE status <> 'running')::int AS terminal FROM "${schema}".instances WHERE started_at >= $1`,
    [since],
  );
  return rows[0];
}

/** Where the run's unfinished instances are, for the error of a stalled run: status/phase counts and the outbox backlog. */
export async function describeUnfinished(pool: Pool, schema: string, since: Date): Promise<string> {
  const phases = await pool.query<{ status: string; phase: string; count: number }>(
    `SELECT status, phase, count(*)::int AS count FROM "${schema}".instances WHERE started_at >= $1 GROUP BY 1, 2 ORDER BY 3 DESC`,
    [since],
  );
  const outbox = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${schema}".outbox`);
  return `Instances by status/phase: ${JSON.stringify(phases.rows)}; outbox rows: ${outbox.rows[0].count}`;
}

/**
 * Reads the run's timings from the event log (timestamps written by the worker and starter clocks, one machine): the
 * events recorded since `since` (the run's first start; preloaded runs lie before it).
 */
export async function measureFramework(pool: Pool, schema: string, since: Date): Promise<FrameworkMeasurements> {
  const events = `"${schema}".events`;
  const totals = await pool.query<{ ms: number; steps: number }>(
    `SELECT (extract(epoch FROM max(recorded_at) FILTER (WHERE kind = 'Completed')) * 1000)::float8 AS ms, count(*) FILTER (WHERE kind = 'StepCompleted')::int AS steps FROM ${events} WHERE recorded_at >= $1`,
    [since],
  );
  const stepSamples = `SELECT ${millisecondsBetween('moved.recorded_at', 'done.recorded_at')} AS ms
    FROM ${events} done
    CROSS JOIN LATERAL (
      SELECT recorded_at FROM ${events} moved
      WHERE moved.workflow_id = done.workflow_id AND moved.sequence < done.sequence AND moved.kind = 'PhaseChanged' AND moved.data->>'to' = done.data->>'step'
      ORDER BY moved.sequence DESC LIMIT 1
    ) moved
    WHERE done.kind = 'StepCompleted' AND done.recorded_at >= $1`;
  const endToEndSamples = `SELECT ${millisecondsBetween('started.recorded_at', 'completed.recorded_at')} AS ms
    FROM ${events} started JOIN ${events} completed ON completed.workflow_id = started.workflow_id AND completed.kind = 'Completed'
    WHERE started.kind = 'Started' AND started.recorded_at >= $1`;
  return {
    lastCompletedAtMs: totals.rows[0].ms,
    stepsCompleted: totals.rows[0].steps,
    stepLatencyMs: await latencyPercentiles(pool, stepSamples, [since]),
    endToEndLatencyMs: await latencyPercentiles(pool, endToEndSamples, [since]),
  };
}
