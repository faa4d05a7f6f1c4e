import type { Transition } from '../engine/transition';
import type { WorkflowEvent } from '../engine/workflow-event';
import type { WorkflowInstance } from '../engine/workflow-instance';
import type { OutboxMessage } from '../messages/outbox-message';
import type { InstanceListQuery, InstancePage } from './instance-list-query.interface';
import type { StepDuration } from './step-duration.interface';
import type { Unsubscribe } from './terminal-subscriptions';

/** One transition to commit, with what the store must check before it applies. */
export interface TransitionWrite {
  /**
   * The id of the message whose handling produced it, recorded in the inbox when applied (a write with an id
   * already there is `duplicate`); null when the caller needs no inbox entry (see `CommitRequest.inboxMessageId`).
   */
  readonly inboxMessageId: string | null;
  /** The stored version the instance must still have; 0 to create the instance. */
  readonly expectedVersion: number;
  readonly transition: Transition;
  /** Commands and events to publish after commit; the relay publishes what the writer could not. */
  readonly outbox: readonly OutboxMessage[];
}

/** A worker's claim on the current command of one instance, just before it runs the step. */
export interface StepStartMark {
  readonly workflowId: string;
  readonly expectedVersion: number;
  readonly commandId: string;
  /** ISO-8601. */
  readonly startedAt: string;
  /** Inside a fork: the index of the path whose cursor waits for the command (absent for the main cursor). */
  readonly pathIndex?: number;
}

/**
 * `committed`: applied. `duplicate`: the inbox already had the message, or the instance to create exists.
 * `conflict`: the instance's version moved on meanwhile; nothing was applied.
 */
export type WriteResult = 'committed' | 'duplicate' | 'conflict';

/**
 * The store as the runtime sees it. Implemented for PostgreSQL (pg) and in memory; both pass the
 * same contract tests.
 */
export interface WorkflowStore {
  /** Creates or migrates the schema (safe when several processes start at once). */
  migrate(): Promise<void>;
  load(workflowId: string): Promise<WorkflowInstance | null>;
  /**
   * Several instances in one round trip (the step runner's loads under load); results are in the order of
   * `workflowIds` (null for an unknown id), which are distinct. Optional: without it, the step runner loads
   * them one by one with `load`.
   */
  loadMany?(workflowIds: readonly string[]): Promise<(WorkflowInstance | null)[]>;
  /**
   * Commits several transitions in one database transaction: per write, inbox insert, version-guarded
   * instance write, events appended, outbox rows inserted. Writes that are duplicates or conflicts apply
   * nothing and do not affect the others. Results are in the order of `writes`.
   */
  commit(writes: readonly TransitionWrite[]): Promise<WriteResult[]>;
  /**
   * Records, per mark, that a worker starts the step of command `commandId`: sets the cursor's `startedAt` and
   * increments the version, if the instance still has version `expectedVersion`, is running and waits for that
   * command. A mark that fails changes nothing and gives false: the caller's copy is stale (another process
   * applied the command, or a cancel committed), so it reloads before running anything. One round trip for
   * the batch; results are in the order of `marks`, which name distinct instances.
   */
  markStepsStarted(marks: readonly StepStartMark[]): Promise<boolean[]>;
  /** The instance's events in sequence order. */
  history(workflowId: string): Promise<WorkflowEvent[]>;
  /**
   * A page of instances matching `query`, ordered by `startedAt`, then `workflowId` (code point order),
   * with the position the next page starts after (null when no instance follows).
   */
  list(query: InstanceListQuery): Promise<InstancePage>;
  /**
   * Per step of `workflowName`, the median duration over its `recentRuns` most recently completed
   * instances (see {@link StepDuration}); steps never measured are absent. Read from the event log when
   * asked, so that commits pay nothing for it.
   */
  stepDurations(workflowName: string, recentRuns: number): Promise<StepDuration[]>;
  /**
   * Calls `listener` when a transition that ends `workflowId` (a terminal status) commits, in this
   * process or (for a shared database) any other. Resolves once subscribed: such a transition committed
   * after that is reported. Best effort: a listener may also be called spuriously (after a lost
   * connection, to have the caller check again), and a notice can be lost, so callers also poll, slowly.
   */
  subscribeTerminal(workflowId: string, listener: () => void): Promise<Unsubscribe>;
  /**
   * Claims up to `limit` outbox messages whose `availableAt` has passed and whose lease (if any) has ended,
   * leasing them for `leaseMs` so that no other relay publishes them meanwhile.
   */
  claimDueOutbox(limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  /**
   * Deletes up to `limit` inbox entries recorded more than `olderThanMs` ago; returns how many. Safe with
   * several pruning processes.
   */
  pruneInbox(olderThanMs: number, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` instances that finished more than `olderThanMs` ago, with their events; returns how
   * many instances. Safe with several pruning processes.
   */
  pruneFinishedRuns(olderThanMs: number, limit: number): Promise<number>;
  /** Removes published outbox messages. */
  deleteOutbox(ids: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
