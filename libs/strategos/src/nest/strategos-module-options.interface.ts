import type { LogLevel } from '@nestjs/common';
import type { MeterProvider } from '@opentelemetry/api';
import type { WorkflowEventKind } from '../engine/workflow-event';
import type { MessageLimits } from '../messages/message-limits';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store.interface';
import type { PostgresStoreOptions } from '../persistence/postgres/postgres-store-options.interface';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import type { RetryPolicy } from '../step/retry-policy';
import type { Transport } from '../transport/transport.interface';
import type { Clock } from '../signals/clock';

/** Options of `StrategosModule.forRoot` / `forRootAsync`. */
export interface StrategosModuleOptions {
  /** RabbitMQ connection. Without it (and without `transport`) the in-memory transport is used. */
  readonly rabbitmq?: {
    readonly url: string;
    /** @default 'quorum' */
    readonly queueType?: 'quorum' | 'classic';
    /** Unacknowledged commands per step queue. @default 64 */
    readonly prefetch?: number;
  };
  /** PostgreSQL connection. Without it (and without `store`) the in-memory store is used. */
  readonly postgres?: PostgresStoreOptions;
  /** A transport instance (tests, custom brokers); takes precedence over `rabbitmq`. */
  readonly transport?: Transport;
  /** A store instance; takes precedence over `postgres`. */
  readonly store?: WorkflowStore;
  /** Where dead letters are archived; defaults to PostgreSQL next to the store, else memory. */
  readonly deadLetterStore?: DeadLetterStore;
  /** Whether this process starts workflows from `Start<Workflow>Command` messages on their start queues. @default true */
  readonly consumeStartCommands?: boolean;
  /** Whether this process moves dead letters from the dead-letter queue into the dead-letter store. @default true */
  readonly archiveDeadLetters?: boolean;
  /** Prefix of queue and exchange names. @default 'strategos' */
  readonly namespace?: string;
  /**
   * The steps this process executes: `'all'`, or names (`ProcessPayment` or `process-order.ProcessPayment`);
   * `[]` for a process that only starts and queries. The `STRATEGOS_STEPS` environment variable overrides it
   * (comma-separated, or `none`). @default 'all'
   */
  readonly steps?: 'all' | readonly string[];
  /** Retry policy for steps that set none (fields may be partial). */
  readonly defaultRetry?: Partial<RetryPolicy>;
  /** @default 30000 */
  readonly defaultTimeoutMs?: number;
  /** How long shutdown lets in-flight steps finish before aborting their signals. @default 10000 */
  readonly shutdownGraceMs?: number;
  /** Outbox and batching tuning. */
  readonly outbox?: {
    /** @default 10000 */
    readonly leaseMs?: number;
    /** @default 250 */
    readonly relayIntervalMs?: number;
    /** @default 500 */
    readonly relayBatchSize?: number;
    /** Whether this process runs the relay. @default true */
    readonly relay?: boolean;
  };
  /**
   * Publication of workflow events from the PostgreSQL event log (no outbox row per event): the processes that run
   * the relay elect one publisher per namespace, which publishes the events in the log's order, in batches.
   */
  readonly events?: {
    /** How often the publisher looks for events committed by other processes, in ms (its own process's commits wake it within 5 ms). @default 50 */
    readonly pollIntervalMs?: number;
    /** Events per confirmed batch at most. @default 1000 */
    readonly batchSize?: number;
    /**
     * The kinds of workflow events published on the events exchange, e.g. `['Completed', 'Failed', 'Cancelled']`
     * when nobody listens to the others (less broker work); `[]` publishes none and does not read the log (its cursor
     * follows the log's end, so kinds enabled later start from there). Every event is still recorded in
     * the history. @default every kind
     */
    readonly kinds?: readonly WorkflowEventKind[];
  };
  /** Where the runtime reads the time (transitions, timers' due times). The test harness passes its controllable clock. @default the system clock */
  readonly clock?: Clock;
  /**
   * Bounds on received and published messages (body size, header size, JSON depth); see {@link MessageLimits}.
   * @default { maxMessageBytes: 1048576, maxHeaderBytes: 16384, maxJsonDepth: 64 }
   */
  readonly limits?: Partial<MessageLimits>;
  /**
   * What the store keeps. Processes prune in the background, in small batches (several processes may prune
   * at once). Published outbox rows are deleted when published, so only the inbox and finished runs need this.
   */
  readonly retention?: {
    /**
     * How long the id of a fired timer stays in the inbox, in ms (0: forever); step commands, starts, signals and
     * control requests leave no entry (the instance tells their copies). A timer redelivered after that is still
     * applied at most once (the instance has moved on), only recorded again as ignored. @default 86400000 (1 day)
     */
    readonly inboxMs?: number;
    /**
     * How long a finished (completed, failed, compensated, cancelled) instance and its history stay after it
     * finished, in ms (0: forever). After that it is deleted: queries no longer find it. @default 2592000000 (30 days)
     */
    readonly finishedRunsMs?: number;
    /** Pause between pruning rounds, in ms. @default 60000 */
    readonly intervalMs?: number;
    /** Rows deleted per statement (a round continues while batches are full). @default 500 */
    readonly batchSize?: number;
    /** Whether this process prunes. @default true */
    readonly enabled?: boolean;
  };
  /** Transitions committed together in one transaction at most. @default 256 */
  readonly commitBatchSize?: number;
  /** Transactions in flight at once per process. @default 2 */
  readonly commitConcurrency?: number;
  /**
   * The lowest level of the lines Strategos writes about its own work (step runs, consumed queues) and of
   * the lines steps write through `context.logger`; lower ones are not even built. The application's logger
   * filters on its own levels besides (see `StrategosConsoleLogger`). @default 'log' (debug and verbose off)
   */
  readonly logLevel?: LogLevel;
  /**
   * A running instance whose current step's queue has had no consumer for longer than this is reported
   * stalled (`view.stalled`, the CLI, `health()`), and gets no `estimatedCompletionAt`. @default 60000
   */
  readonly stalledAfterMs?: number;
  /**
   * Where Strategos's metrics go (`strategos.step.started`, …; see the README). @default the global
   * OpenTelemetry MeterProvider at start-up: a no-op unless an SDK is registered before the app is created
   */
  readonly meterProvider?: MeterProvider;
  /**
   * Transitions allowed to wait for a commit in this process; beyond it `start` and commits fail at once with
   * `COMMIT_BACKLOG_FULL` (transient: consumers back off and retry). Keeps the backlog finite. @default 10000
   */
  readonly commitBacklogLimit?: number;
  /**
   * While the store fails transiently (connection refused or lost, pool timeout, serialization failure,
   * deadlock, shutdown), a consumed message is held unacknowledged and retried in place after a pause that
   * doubles from `initialDelayMs` to `maxDelayMs`; after `maxHoldMs` it is given back to the broker (one
   * redelivery). Nothing is dead-lettered for an outage.
   */
  readonly storeRetry?: {
    /** @default 250 */
    readonly initialDelayMs?: number;
    /** @default 15000 */
    readonly maxDelayMs?: number;
    /** @default 300000 */
    readonly maxHoldMs?: number;
  };
}
