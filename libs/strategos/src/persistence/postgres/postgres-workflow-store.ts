import { Logger } from '@nestjs/common';
import { Client, Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import type { WorkflowEvent } from '../../engine/workflow-event';
import type { WorkflowInstance } from '../../engine/workflow-instance';
import { StrategosHeader, type OutboxMessage } from '../../messages/outbox-message';
import type { InstanceListQuery, InstancePage } from '../instance-list-query.interface';
import type { StepDuration } from '../step-duration.interface';
import type { IdlePosition, StoreGauges } from '../store-gauges';
import { summariseStepDurations } from '../step-duration-summary';
import type { Unsubscribe } from '../terminal-subscriptions';
import type { StepStartMark, TransitionWrite, WorkflowStore, WriteResult } from '../workflow-store.interface';
import { commitParameters } from './commit-parameters';
import { commitRounds } from './commit-rounds';
import { commitStatementSql } from './commit-statement';
import { type EventRow, toWorkflowEvent } from './event-row';
import { type InstanceRow, toWorkflowInstance } from './instance-row';
import { listInstancesStatement } from './list-instances-statement';
import { notificationChannel } from './notification-channel';
import { PostgresEventLog } from './postgres-event-log';
import { type OutboxRow, toOutboxMessage } from './outbox-row';
import type { PostgresStoreOptions } from './postgres-store-options.interface';
import { validatePostgresStoreOptions } from './postgres-store-options.validator';
import { migrateSchema } from './schema-migrator';
import { quoteSchema } from './schema-name';
import { statementName } from './statement-name';
import { type StepTimingRow, toStepTimingRuns } from './step-timing-row';
import { markStepStartedParameters, markStepsStartedParameters } from './step-start-parameters';
import { type StoreQueries, storeQueries } from './store-queries';
import { withTransaction } from './transaction';
import { PostgresTransitionListener } from './transition-listener';

/**
 * The session setting of the store's own connections: the planner avoids sequential scans wherever an index
 * serves. Every statement of the store is built to reach its rows through an index, but PostgreSQL keeps a
 * prepared statement's generic plan for the life of a connection, until the table's statistics change: a plan
 * made while a table was a page or two (a new schema) would scan it on every execution as it grows, for good on a
 * server without autovacuum. A pool passed in (`postgres.pool`) is used as it is.
 */
const INDEX_ONLY_SESSION = '-c enable_seqscan=off';

/** How long a query of the event log's publication may take before its session is given up. */
const EVENT_LOG_QUERY_TIMEOUT_MS = 30_000;

/**
 * The {@link WorkflowStore} on PostgreSQL (pg): instances, their event log, the inbox of processed
 * messages and the transactional outbox, in one schema.
 *
 * A commit is one statement (one round trip, one transaction) for the whole batch. A batch should hold
 * at most one write per instance (the group commit guarantees it); a batch that holds more is still
 * correct, committed in a few statements inside one transaction. An inbox message is recorded only by
 * the write that applied it; two writers racing with one message for one instance are serialised by the
 * version guard (one commits, the other gets `conflict`).
 *
 * The pool survives connections that die (server restart, `pg_terminate_backend`): an idle one is
 * logged and replaced; an operation that was using one rejects, and being one transaction it applied
 * nothing, so the caller retries.
 *
 * A commit that ends a workflow notifies the channel `<schema>_transitions` (unless `notifications` is
 * off); `subscribeTerminal` listens there on one dedicated connection, opened on first use.
 *
 * @example
 * const store = new PostgresWorkflowStore({ url: 'postgres://postgres@127.0.0.1:5432/app', schema: 'orders' });
 * await store.migrate();
 */
export class PostgresWorkflowStore implements WorkflowStore {
  /** The schema of the store's tables. */
  readonly schema: string;
  /** The event log as the source of the event messages (see `EventLogPublisher`): events get no outbox row. */
  readonly eventLog: PostgresEventLog;
  private readonly logger = new Logger(PostgresWorkflowStore.name);
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly queries: StoreQueries;
  private readonly commitSql: string;
  private readonly names: Readonly<Record<keyof StoreQueries | 'commit', string>>;
  /** The channel the commit notifies, or null when notifications are off. */
  private readonly channel: string | null;
  private readonly listener: PostgresTransitionListener | null;
  private closing: Promise<void> | undefined;

  /** @throws PostgresOptionsError `INVALID_POSTGRES_OPTIONS` naming the invalid option. */
  constructor(options: PostgresStoreOptions) {
    const settings = validatePostgresStoreOptions(options);
    this.schema = settings.schema;
    this.ownsPool = options.pool === undefined;
    this.pool =
      options.pool ??
      new Pool({
        connectionString: options.url,
        max: settings.poolSize,
        connectionTimeoutMillis: settings.connectionTimeoutMs,
        application_name: settings.applicationName,
        // TCP keep-alive: a connection whose peer vanished (network cut, failover) is detected and dropped.
        keepAlive: true,
        options: INDEX_ONLY_SESSION,
        // plan_cache_mode stays `auto`: the hot statements are prepared, and their generic plans reach every table
        // through an index (the commit filters through typed arrays; `test/commit-plan.e2e-spec.ts`), so they are
        // planned a few times per connection rather than at every execution.
      });
    this.pool.on('error', this.onIdleConnectionError);
    this.queries = storeQueries(this.schema);
    this.commitSql = commitStatementSql(this.schema);
    const names = Object.fromEntries(Object.entries(this.queries).map(([key, text]) => [key, statementName(key, text)]));
    this.names = { ...(names as Record<keyof StoreQueries, string>), commit: statementName('commit', this.commitSql) };
    this.channel = settings.notifications ? notificationChannel(this.schema) : null;
    const clientConfig = options.pool
      ? options.pool.options
      : {
          connectionString: options.url,
          connectionTimeoutMillis: settings.connectionTimeoutMs,
          application_name: settings.applicationName,
          keepAlive: true,
          options: INDEX_ONLY_SESSION,
        };
    this.listener = this.channel === null ? null : new PostgresTransitionListener(() => new Client(clientConfig), this.channel);
    // A query of the publication that hangs (a network cut the socket does not see) gives up, so the lead can move on.
    this.eventLog = new PostgresEventLog(this.schema, () => new Client({ ...clientConfig, query_timeout: EVENT_LOG_QUERY_TIMEOUT_MS }));
  }

  /** Creates the schema and applies pending migrations; safe when several processes start at once. */
  async migrate(): Promise<void> {
    const applied = await migrateSchema(this.pool, this.schema);
    if (applied.length > 0) this.logger.log({ message: 'Store schema migrated', schema: this.schema, versions: applied });
  }

  async load(workflowId: string): Promise<WorkflowInstance | null> {
    const { rows } = await this.run<InstanceRow>('load', [workflowId]);
    return rows.length === 0 ? null : toWorkflowInstance(rows[0]);
  }

  /** One statement; the ids go in as a typed array, so the generic plan reads them through the primary key. */
  async loadMany(workflowIds: readonly string[]): Promise<(WorkflowInstance | null)[]> {
    const { rows } = await this.run<InstanceRow>('loadMany', [workflowIds]);
    const byId = new Map(rows.map((row) => [row.workflow_id, row]));
    return workflowIds.map((workflowId) => {
      const row = byId.get(workflowId);
      return row ? toWorkflowInstance(row) : null;
    });
  }

  /** Commits the batch in one transaction; see the class comment for the batch shape. */
  async commit(writes: readonly TransitionWrite[]): Promise<WriteResult[]> {
    if (writes.length === 0) return [];
    const rounds = commitRounds(writes);
    if (rounds.length === 1) return this.commitRound(this.pool, writes);
    return withTransaction(this.pool, async (client) => {
      const results: WriteResult[] = [];
      for (const round of rounds) {
        const roundResults = await this.commitRound(
          client,
          round.map((index) => writes[index]),
        );
        round.forEach((index, position) => (results[index] = roundResults[position]));
      }
      return results;
    });
  }

  async markStepsStarted(marks: readonly StepStartMark[]): Promise<boolean[]> {
    if (marks.length === 0) return [];
    const { rows } = await this.run<{ workflow_id: string }>(
      marks.length === 1 ? 'markStepStarted' : 'markStepsStarted',
      marks.length === 1 ? markStepStartedParameters(marks[0]) : markStepsStartedParameters(marks),
    );
    const marked = new Set(rows.map((row) => row.workflow_id));
    return marks.map((mark) => marked.has(mark.workflowId));
  }

  async history(workflowId: string): Promise<WorkflowEvent[]> {
    const { rows } = await this.run<EventRow>('history', [workflowId]);
    return rows.map(toWorkflowEvent);
  }

  /** Unnamed statement: each filter shape is planned with its actual values (listing is not a hot path). */
  async list(query: InstanceListQuery): Promise<InstancePage> {
    const { rows } = await this.pool.query<InstanceRow>(listInstancesStatement(this.schema, query));
    const instances = rows.slice(0, query.limit).map(toWorkflowInstance);
    const last = instances.at(-1);
    return { instances, next: rows.length > query.limit && last ? { startedAt: last.startedAt, workflowId: last.workflowId } : null };
  }

  /**
   * Computed when asked from the events of the `recentRuns` latest completed runs (one indexed, bounded
   * query), rather than maintained by each commit: the commit path stays as it was.
   */
  async stepDurations(workflowName: string, recentRuns: number): Promise<StepDuration[]> {
    const runs = Math.floor(recentRuns);
    if (!(runs >= 1)) return [];
    const { rows } = await this.run<StepTimingRow>('stepTimings', [workflowName, runs]);
    return summariseStepDurations(toStepTimingRuns(rows));
  }

  /**
   * Listens on the store's channel (connecting on first use). With `notifications` off, the listener is
   * never called and callers rely on polling.
   */
  async subscribeTerminal(workflowId: string, listener: () => void): Promise<Unsubscribe> {
    if (!this.listener || this.closing) return () => undefined;
    return this.listener.subscribe(workflowId, listener);
  }

  /**
   * Claims due outbox rows (`FOR UPDATE SKIP LOCKED`: concurrent relays get disjoint rows), in the order
   * they became due. The returned `leaseUntil` is the end of the new lease. Due-ness is judged by the
   * database clock.
   */
  async claimDueOutbox(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const count = Math.floor(limit);
    if (!(count >= 1)) return [];
    const { rows } = await this.run<OutboxRow>('claimDueOutbox', [count, Math.max(0, leaseMs)]);
    return rows.map(toOutboxMessage);
  }

  async deleteOutbox(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.run('deleteOutbox', [ids]);
  }

  /** Outbox rows not yet deleted (published or not): a backlog gauge for the query side and health checks. */
  async countOutbox(): Promise<number> {
    const { rows } = await this.run<{ count: number }>('countOutbox', []);
    return rows[0].count;
  }

  /**
   * Outbox backlog and age, running instances per workflow and those waiting for a retry's due time (a
   * command of attempt 2+ not yet due; the attempt is in the command's body), for the metrics' gauges. Three
   * small aggregate queries.
   */
  async gauges(): Promise<StoreGauges> {
    const s = quoteSchema(this.schema);
    const [outbox, runs] = await Promise.all([
      this.pool.query<{ backlog: number; age_ms: number }>(
        `SELECT count(*)::int AS backlog, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)) * 1000, 0)::float8 AS age_ms FROM ${s}.outbox`,
      ),
      this.pool.query<{ workflow: string; running: number; waiting: number }>(
        `SELECT i.workflow_name AS workflow, count(*)::int AS running,
                count(*) FILTER (WHERE EXISTS (
                  SELECT 1 FROM ${s}.outbox o
                   WHERE o.exchange = '' AND o.available_at > now()
                     AND o.headers->>'${StrategosHeader.WorkflowId}' = i.workflow_id
                     AND (o.body->>'attempt')::int > 1))::int AS waiting
           FROM ${s}.instances i WHERE i.status = 'running' GROUP BY i.workflow_name`,
      ),
    ]);
    return {
      outboxBacklog: outbox.rows[0]?.backlog ?? 0,
      outboxOldestAgeMs: Math.max(0, outbox.rows[0]?.age_ms ?? 0),
      runs: runs.rows.map((row) => ({ workflow: row.workflow, running: row.running, waiting: row.waiting })),
    };
  }

  /** Running instances whose last transition is older than `olderThanMs`, grouped by workflow and phase. */
  async idlePositions(olderThanMs: number): Promise<IdlePosition[]> {
    const { rows } = await this.pool.query<{ workflow: string; phase: string; runs: number; since: Date }>(
      `SELECT workflow_name AS workflow, phase, count(*)::int AS runs, min(updated_at) AS since
         FROM ${quoteSchema(this.schema)}.instances
        WHERE status = 'running' AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
        GROUP BY workflow_name, phase ORDER BY workflow_name, phase`,
      [Math.max(0, olderThanMs)],
    );
    return rows.map((row) => ({ workflow: row.workflow, phase: row.phase, runs: row.runs, since: new Date(row.since) }));
  }

  /**
   * Deletes inbox rows older than `olderThanMs` and returns how many. The inbox only has to outlive
   * redeliveries: a message redelivered after its row is pruned is still applied once, because the
   * instance has moved on (its version and cursor no longer match the message), so it is recognised as
   * stale; the inbox makes that cheap and exact for recent messages.
   */
  async pruneInbox(olderThanMs: number, limit = 10_000): Promise<number> {
    const result = await this.run('pruneInbox', [Math.max(0, olderThanMs), Math.max(1, Math.floor(limit))]);
    return result.rowCount ?? 0;
  }

  /** Deletes a batch of runs finished more than `olderThanMs` ago, with their events (one statement). */
  async pruneFinishedRuns(olderThanMs: number, limit: number): Promise<number> {
    const result = await this.run('pruneFinishedRuns', [Math.max(0, olderThanMs), Math.max(1, Math.floor(limit))]);
    return result.rowCount ?? 0;
  }

  /**
   * Closes the listening connection and ends the pool if the store created it (a pool passed in
   * `options.pool` stays open). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.listener?.close();
    await this.eventLog.resign();
    if (this.ownsPool) await this.pool.end();
    this.pool.removeListener('error', this.onIdleConnectionError);
  }

  private async commitRound(db: Pool | PoolClient, writes: readonly TransitionWrite[]): Promise<WriteResult[]> {
    const values = commitParameters(writes, this.channel);
    const { rows } = await db.query<{ result: WriteResult }>({ name: this.names.commit, text: this.commitSql, values });
    return rows.map((row) => row.result);
  }

  private run<R extends QueryResultRow>(query: keyof StoreQueries, values: unknown[]): Promise<QueryResult<R>> {
    return this.pool.query<R>({ name: this.names[query], text: this.queries[query], values });
  }

  /** An idle connection died (server restart, terminated backend): the pool drops it and connects anew. */
  private readonly onIdleConnectionError = (error: Error): void => {
    this.logger.warn({ message: 'Idle PostgreSQL connection lost; the pool replaces it', schema: this.schema, error: error.message });
  };
}
