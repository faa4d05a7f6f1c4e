import type { Pool } from 'pg';
import type { CompletionCounts } from '../completion-poller';
import { latencyPercentiles, millisecondsBetween, type LatencyPercentiles } from '../latency-stats';

/** What the floor's event log says about a finished run. */
export interface FloorMeasurements {
  /** When the last workflow's last step was recorded, epoch ms. */
  readonly lastCompletedAtMs: number;
  /** Step events: the steps executed. */
  readonly stepsCompleted: number;
  /** From the previous event of the workflow (its `Started` or the previous step) to the step's event. */
  readonly stepLatencyMs: LatencyPercentiles;
  /** From `Started` to the last step's event. */
  readonly endToEndLatencyMs: LatencyPercentiles;
}

/** Floor workflows whose last step is applied (the completion poll). */
export async function countFloorCompleted(pool: Pool, schema: string, steps: number): Promise<CompletionCounts> {
  const { rows } = await pool.query<{ completed: number }>(`SELECT count(*)::int AS completed FROM "${schema}".state WHERE version = $1`, [
    steps,
  ]);
  return { completed: rows[0].completed, terminal: rows[0].completed };
}

/** Floor workflows by the steps they completed, for the error of a stalled run. */
export async function describeFloorUnfinished(pool: Pool, schema: string): Promise<string> {
  const { rows } = await pool.query<{ version: number; count: number }>(
    `SELECT version, count(*)::int AS count FROM "${schema}".state GROUP BY 1 ORDER BY 1`,
  );
  return `Floor workflows by completed steps: ${JSON.stringify(rows)}`;
}

/** Reads the run's timings from the floor's event log (timestamps of the database clock). */
export async function measureFloor(pool: Pool, schema: string, steps: number): Promise<FloorMeasurements> {
  const events = `"${schema}".events`;
  const totals = await pool.query<{ ms: number; steps: number }>(
    `SELECT (extract(epoch FROM max(recorded_at) FILTER (WHERE sequence = $1)) * 1000)::float8 AS ms, count(*) FILTER (WHERE sequence >= 1)::int AS steps FROM ${events}`,
    [steps],
  );
  const stepSamples = `SELECT ${millisecondsBetween('before.recorded_at', 'step.recorded_at')} AS ms
    FROM ${events} step JOIN ${events} before ON before.workflow_id = step.workflow_id AND before.sequence = step.sequence - 1
    WHERE step.sequence >= 1`;
  const endToEndSamples = `SELECT ${millisecondsBetween('started.recorded_at', 'done.recorded_at')} AS ms
    FROM ${events} started JOIN ${events} done ON done.workflow_id = started.workflow_id AND done.sequence = ${Number(steps)}
    WHERE started.sequence = 0`;
  return {
    lastCompletedAtMs: totals.rows[0].ms,
    stepsCompleted: totals.rows[0].steps,
    stepLatencyMs: await latencyPercentiles(pool, stepSamples),
    endToEndLatencyMs: await latencyPercentiles(pool, endToEndSamples),
  };
}
