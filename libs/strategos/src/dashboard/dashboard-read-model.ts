import { Pool } from 'pg';
import type { RecordedError, WorkflowStatus } from '../engine/workflow-instance';
import type { PostgresStoreOptions } from '../persistence/postgres/postgres-store-options.interface';
import { quoteSchema } from '../persistence/postgres/schema-name';
import { validatePostgresStoreOptions } from '../persistence/postgres/postgres-store-options.validator';
import { toIsoTimestamp } from '../persistence/postgres/iso-timestamp';
import { FORK_PATH_CURSORS } from '../persistence/postgres/instance-row';
import { dashboardRunsStatement, RUN_SUMMARY_COLUMNS } from './dashboard-runs-statement';
import type { DashboardRunsQuery } from './dashboard-runs-query';
import { encodeRunsCursor } from './runs-cursor';
import type { RunSummary, RunSummaryPage } from './run-summary';
import type { StepLatency } from './workflow-stats';

interface SummaryRow {
  readonly workflow_id: string;
  readonly workflow_name: string;
  readonly phase: string;
  readonly status: WorkflowStatus;
  readonly version: number;
  readonly error: RecordedError | null;
  readonly cancel_reason: string | null;
  readonly started_at: Date | string;
  readonly updated_at: Date | string;
  readonly completed_at: Date | string | null;
}

/** Finished-run counts of a workflow in a time window, and its running runs per phase. */
export interface RunCounts {
  readonly started: number;
  readonly byStatus: Readonly<Partial<Record<WorkflowStatus, number>>>;
  /** Running runs per phase: inside a fork, a run counts once, at its `Fork(...)` phase. */
  readonly runningByPhase: Readonly<Record<string, number>>;
  /** Running runs inside a fork, per step (or wait) at which one of their paths is. */
  readonly runningInForkPaths: Readonly<Record<string, number>>;
}

/**
 * The dashboard's reads of the store's PostgreSQL tables that `WorkflowStore` does not offer (newest-first
 * listing with an id prefix, summaries of many ids, counts and latency percentiles), on a small pool of its
 * own (or the pool given in the `postgres` options). Read only: every write goes through the runtime.
 */
export class DashboardReadModel {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly schema: string;

  constructor(options: PostgresStoreOptions) {
    const settings = validatePostgresStoreOptions(options);
    this.schema = settings.schema;
    this.ownsPool = options.pool === undefined;
    this.pool =
      options.pool ??
      new Pool({
        connectionString: options.url,
        max: 3,
        connectionTimeoutMillis: settings.connectionTimeoutMs,
        application_name: `${settings.applicationName}-dashboard`,
        keepAlive: true,
      });
    if (this.ownsPool) this.pool.on('error', () => undefined);
  }

  async listRuns(query: DashboardRunsQuery): Promise<RunSummaryPage> {
    const { rows } = await this.pool.query<SummaryRow>(dashboardRunsStatement(this.schema, query));
    const items = rows.slice(0, query.limit).map(toRunSummary);
    const last = items.at(-1);
    return {
      items,
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeRunsCursor({ startedAt: last.startedAt, workflowId: last.workflowId }) }
        : {}),
    };
  }

  /** The summaries of these runs (unknown ids are absent), in one query. */
  async summaries(workflowIds: readonly string[]): Promise<RunSummary[]> {
    if (workflowIds.length === 0) return [];
    const { rows } = await this.pool.query<SummaryRow>(
      `SELECT ${RUN_SUMMARY_COLUMNS} FROM ${quoteSchema(this.schema)}.instances WHERE workflow_id = ANY($1::text[])`,
      [workflowIds],
    );
    return rows.map(toRunSummary);
  }

  /**
   * Runs of `workflow` started and finished since `since`, its running runs per phase, and its forked runs per
   * position of their paths (the positions `query.list({ status: 'waiting' })` looks at inside a fork).
   */
  async counts(workflow: string, since: Date): Promise<RunCounts> {
    const s = quoteSchema(this.schema);
    const [started, finished, running, inForkPaths] = await Promise.all([
      this.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${s}.instances WHERE workflow_name = $1 AND started_at >= $2`,
        [workflow, since],
      ),
      this.pool.query<{ status: WorkflowStatus; count: number }>(
        `SELECT status, count(*)::int AS count FROM ${s}.instances
         WHERE workflow_name = $1 AND status = ANY('{completed,failed,compensated,cancelled}'::text[]) AND completed_at >= $2
         GROUP BY status`,
        [workflow, since],
      ),
      this.pool.query<{ phase: string; count: number }>(
        `SELECT phase, count(*)::int AS count FROM ${s}.instances WHERE workflow_name = $1 AND status = 'running' GROUP BY phase`,
        [workflow],
      ),
      this.pool.query<{ step: string; count: number }>(
        `SELECT position.step #>> '{}' AS step, count(DISTINCT i.workflow_id)::int AS count
         FROM ${s}.instances i CROSS JOIN LATERAL jsonb_path_query(i.cursor, '${FORK_PATH_CURSORS}.step') AS position(step)
         WHERE i.workflow_name = $1 AND i.status = 'running' AND i.cursor ? 'fork'
         GROUP BY 1`,
        [workflow],
      ),
    ]);
    return {
      started: started.rows[0].count,
      byStatus: Object.fromEntries(finished.rows.map((row) => [row.status, row.count])),
      runningByPhase: Object.fromEntries(running.rows.map((row) => [row.phase, row.count])),
      runningInForkPaths: Object.fromEntries(inForkPaths.rows.map((row) => [row.step, row.count])),
    };
  }

  /**
   * p50/p95/p99 per step over the `recentRuns` latest runs of `workflow` that finished: from the phase change
   * into a step to its completion (so retries count; in a fork, each path's own phase change), computed in the
   * database from the event log.
   */
  async stepLatencies(workflow: string, recentRuns: number): Promise<StepLatency[]> {
    const s = quoteSchema(this.schema);
    const { rows } = await this.pool.query<{ step: string; samples: number; p50: number; p95: number; p99: number }>(
      `WITH runs AS (
         SELECT workflow_id FROM ${s}.instances
         WHERE workflow_name = $1 AND status = ANY('{completed,failed,compensated,cancelled}'::text[]) AND completed_at IS NOT NULL
         ORDER BY completed_at DESC LIMIT $2
       ), marks AS (
         SELECT e.workflow_id, e.sequence, e.kind, e.recorded_at,
           CASE e.kind WHEN 'PhaseChanged' THEN e.data->>'to' ELSE e.data->>'step' END AS step
         FROM runs JOIN ${s}.events e ON e.workflow_id = runs.workflow_id
         WHERE e.kind IN ('PhaseChanged', 'StepCompleted')
       ), timeline AS (
         -- Per run and step: the paths of a fork enter and complete their steps interleaved.
         SELECT kind, step, recorded_at, lag(kind) OVER w AS previous_kind, lag(recorded_at) OVER w AS previous_at
         FROM marks
         WINDOW w AS (PARTITION BY workflow_id, step ORDER BY sequence)
       ), durations AS (
         SELECT step, extract(epoch FROM recorded_at - previous_at) * 1000 AS ms FROM timeline
         WHERE kind = 'StepCompleted' AND previous_kind = 'PhaseChanged'
       )
       SELECT step, count(*)::int AS samples,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
         percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM durations GROUP BY step ORDER BY step`,
      [workflow, recentRuns],
    );
    return rows.map((row) => ({
      step: row.step,
      samples: row.samples,
      p50Ms: Math.round(Number(row.p50)),
      p95Ms: Math.round(Number(row.p95)),
      p99Ms: Math.round(Number(row.p99)),
    }));
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

function toRunSummary(row: SummaryRow): RunSummary {
  return {
    workflowId: row.workflow_id,
    workflow: row.workflow_name,
    phase: row.phase,
    status: row.status,
    version: row.version,
    error: row.error,
    cancelReason: row.cancel_reason,
    startedAt: toIsoTimestamp(row.started_at),
    updatedAt: toIsoTimestamp(row.updated_at),
    completedAt: row.completed_at === null ? null : toIsoTimestamp(row.completed_at),
  };
}
