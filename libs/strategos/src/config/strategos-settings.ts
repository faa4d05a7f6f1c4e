import type { LogLevel } from '@nestjs/common';
import type { WorkflowEventKind } from '../engine/workflow-event';
import type { MessageLimits } from '../messages/message-limits';
import type { RetryPolicy } from '../step/retry-policy';

/** How a message is retried in place while the store fails transiently (see the README's reliability section). */
export interface StoreRetrySettings {
  /** First pause after a transient failure. */
  readonly initialDelayMs: number;
  /** Longest pause (the delay doubles up to it). */
  readonly maxDelayMs: number;
  /** How long one delivery is held before it is given back to the broker (kept below RabbitMQ's consumer_timeout). */
  readonly maxHoldMs: number;
}

/** The resolved, validated settings every part of the runtime reads (built from `forRoot` options). */
export interface StrategosSettings {
  /** Prefix of every broker name, so that several systems (or tests) share one broker. */
  readonly namespace: string;
  readonly queueType: 'quorum' | 'classic';
  /** Unacknowledged commands a worker holds per step queue. */
  readonly prefetch: number;
  readonly defaultRetry: RetryPolicy;
  readonly defaultTimeoutMs: number;
  /** The steps this process executes: `all`, or step names (`STRATEGOS_STEPS`). */
  readonly steps: 'all' | readonly string[];
  /** How long after commit the relay leaves a message to the process that wrote it. */
  readonly outboxLeaseMs: number;
  readonly relayIntervalMs: number;
  readonly relayBatchSize: number;
  /** How often the event-log publisher looks for events committed by other processes (its own commits wake it). */
  readonly eventPollIntervalMs: number;
  /** Events published per confirmed batch at most by the event-log publisher. */
  readonly eventBatchSize: number;
  /** The kinds of workflow events published on the events exchange (`events.kinds`); all are recorded in the log. */
  readonly publishedEventKinds: 'all' | ReadonlySet<WorkflowEventKind>;
  /** Transitions committed in one database transaction at most. */
  readonly commitBatchSize: number;
  readonly commitConcurrency: number;
  /** Transitions allowed to wait for a commit; beyond it starts and commits fail with `COMMIT_BACKLOG_FULL` (transient). */
  readonly commitBacklogLimit: number;
  /** Back-off of a message whose processing met a transient store failure (it is held and retried in place). */
  readonly storeRetry: StoreRetrySettings;
  /** How long shutdown waits for in-flight steps before aborting their signals. */
  readonly shutdownGraceMs: number;
  /** Whether this process runs the outbox relay. */
  readonly relay: boolean;
  /** Whether this process starts workflows from `Start<Workflow>Command` messages. */
  readonly consumeStartCommands: boolean;
  /** Whether this process archives the dead-letter queue into the dead-letter store. */
  readonly archiveDeadLetters: boolean;
  /** The lowest level of the lines Strategos writes about its own work and through steps' `context.logger`. */
  readonly logLevel: LogLevel;
  /** How long a running instance's step queue may be without a consumer before the instance is reported stalled, in ms. */
  readonly stalledAfterMs: number;
  /** Size, header and depth bounds of received and published messages. */
  readonly limits: MessageLimits;
  /** What the store keeps, and how this process prunes the rest (see {@link RetentionSettings}). */
  readonly retention: RetentionSettings;
}

/** Resolved `retention` options; 0 keeps rows of that kind forever. */
export interface RetentionSettings {
  /** How long processed-message ids stay in the inbox. */
  readonly inboxMs: number;
  /** How long finished (terminal) instances and their history stay. */
  readonly finishedRunsMs: number;
  /** Pause between pruning rounds. */
  readonly intervalMs: number;
  /** Rows deleted per statement. */
  readonly batchSize: number;
  /** Whether this process prunes. */
  readonly enabled: boolean;
}

/** Whether events of `kind` are published on the events exchange (`events.kinds`). */
export function publishesEventKind(settings: Pick<StrategosSettings, 'publishedEventKinds'>, kind: WorkflowEventKind): boolean {
  return settings.publishedEventKinds === 'all' || settings.publishedEventKinds.has(kind);
}

/** Whether no event is published on the events exchange (`events.kinds: []`): the log is then never read for publishing. */
export function publishesNoEvents(settings: Pick<StrategosSettings, 'publishedEventKinds'>): boolean {
  return settings.publishedEventKinds !== 'all' && settings.publishedEventKinds.size === 0;
}
