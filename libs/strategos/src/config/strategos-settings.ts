import type { LogLevel } from '@nestjs/common';
import type { RetryPolicy } from '../step/retry-policy';

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
  /** Transitions committed in one database transaction at most. */
  readonly commitBatchSize: number;
  readonly commitConcurrency: number;
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
}
