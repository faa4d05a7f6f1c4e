import { Logger } from '@nestjs/common';
import { publishesEventKind, type StrategosSettings } from '../config/strategos-settings';
import type { Transition } from '../engine/transition';
import type { OutboxMessage } from '../messages/outbox-message';
import type { StepCommand } from '../engine/step-command';
import { stepCommandMessage, toOutboxRows, toOutgoing } from '../messages/message-codec';
import { topologyNames } from '../messages/topology';
import type { StrategosMetrics } from '../metrics/strategos-metrics';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';
import { commitIsolatingFailures } from './commit-isolating-failures';
import { hasEventLog } from './event-log.interface';
import { GroupCommitQueue } from './group-commit-queue';
import { SortableIdGenerator } from './sortable-id';
import type { TransitionNotifier } from './transition-notifier';
import { deadEndCode, publishOrDeadLetter } from './unpublishable-message';
import type { TransitionWrite, WorkflowStore, WriteResult } from './workflow-store.interface';

/** How long published outbox rows wait to be deleted together (the relay's lease keeps it off them meanwhile). */
const DELETION_WINDOW_MS = 20;

/** A transition to commit, with the guard the store checks. */
export interface CommitRequest {
  /**
   * The id of the message to record in the inbox (a redelivery is then `duplicate`), or null when the transition
   * itself tells a redelivery: step commands (the cursor and the version guard, see `StepRunner`), start requests
   * (the instance exists), signals (their id is kept by the run), API and control requests. A fired timer uses it.
   */
  readonly inboxMessageId: string | null;
  readonly expectedVersion: number;
  readonly transition: Transition;
  /** Called with the committed instance as soon as the commit returns, before the publish (e.g. to cache it for the next step). */
  readonly onCommitted?: (instance: Transition['instance']) => void;
  /**
   * Whether the message being handled stays with the broker until it is acknowledged, so that it comes back if
   * this process dies (a step command). Its transition's commands sent at once then get no outbox row: they are
   * published after the commit, and a redelivery of the message publishes them again from the instance
   * (`reissuedCommands`). Start requests, control commands and timers have no such message: their transitions'
   * commands go through the outbox. @default false
   */
  readonly redeliverable?: boolean;
}

/**
 * A store's answer, or `unpublished`: committed, but commands without an outbox row could not be published (the
 * broker is unavailable). The message must not be acknowledged before they are (see `redeliverable`).
 */
export type CommitResult = WriteResult | 'unpublished';

/**
 * The transactional outbox, writer side: commits transitions (grouped into few transactions under load),
 * then publishes their messages with confirms and removes them from the outbox. What it cannot publish
 * stays in the outbox for the relay, except the commands of a redeliverable message, which have no outbox row:
 * the message itself is their durable record (see {@link CommitRequest.redeliverable}).
 */
export class TransitionCommitter {
  private readonly logger = new Logger(TransitionCommitter.name);
  private readonly writes: GroupCommitQueue<TransitionWrite, WriteResult>;
  /** Each item is the rows of one publish; a flush deletes many publishes' rows in one statement. */
  private readonly deletions: GroupCommitQueue<readonly string[], void>;
  private readonly eventsExchange: string;
  private readonly eventsFromLog: boolean;
  private readonly outboxIds = new SortableIdGenerator();
  /** Ids of outbox rows published since the last deletion was queued. */
  private published: string[] = [];
  private deletionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: WorkflowStore,
    private readonly transport: Transport,
    private readonly notifier: TransitionNotifier,
    private readonly settings: StrategosSettings,
    metrics?: StrategosMetrics,
  ) {
    this.eventsExchange = topologyNames(settings.namespace).eventsExchange;
    this.eventsFromLog = hasEventLog(store);
    const batching = {
      maxBatchSize: settings.commitBatchSize,
      maxConcurrentFlushes: settings.commitConcurrency,
      maxWaiting: settings.commitBacklogLimit,
    };
    this.writes = new GroupCommitQueue(
      (writes) =>
        commitIsolatingFailures(async (batch) => {
          const started = performance.now();
          const results = await store.commit(batch);
          metrics?.committed(batch.length, performance.now() - started);
          return results;
        }, writes),
      batching,
      (write) => write.transition.instance.workflowId,
    );
    this.deletions = new GroupCommitQueue(
      async (batches) => {
        await store.deleteOutbox(batches.flat());
        return batches.map(() => undefined);
      },
      { maxBatchSize: 256, maxConcurrentFlushes: 1 },
    );
  }

  /**
   * Commits, then publishes what the transition sends now. Rejects only when the commit failed: with the
   * store's error for this write alone (a write the store refuses never fails the others of its group commit),
   * or `COMMIT_BACKLOG_FULL` when `commitBacklogLimit` writes already wait. See `classifyFailure`.
   */
  async commit(request: CommitRequest): Promise<CommitResult> {
    const { instance, commands } = request.transition;
    const now = new Date(instance.updatedAt);
    // A store with an event log publishes the events from it (EventLogPublisher): they get no outbox row.
    const events = this.eventsFromLog ? [] : request.transition.events.filter((event) => publishesEventKind(this.settings, event.kind));
    // Sent at once on behalf of a redeliverable message: no outbox row (a delayed retry keeps its row, due later).
    const direct = request.redeliverable ? commands.filter((scheduled) => scheduled.availableAt <= instance.updatedAt) : [];
    const viaOutbox = direct.length === 0 ? commands : commands.filter((scheduled) => scheduled.availableAt > instance.updatedAt);
    const transition = { ...request.transition, events, commands: viaOutbox };
    const rows = toOutboxRows(this.settings.namespace, this.eventsExchange, transition, now, this.settings.outboxLeaseMs, () =>
      this.outboxIds.next(),
    );
    const result = await this.writes.submit({
      inboxMessageId: request.inboxMessageId,
      expectedVersion: request.expectedVersion,
      transition: request.transition,
      outbox: [...rows.publishNow, ...rows.delayed],
    });
    if (result !== 'committed') return result;
    request.onCommitted?.(instance);
    this.notifier.notify(instance);
    const published = await this.publishAfterCommit(
      rows.publishNow,
      direct.map((scheduled) => scheduled.command),
    );
    return published ? 'committed' : 'unpublished';
  }

  /**
   * Publishes step commands that have no outbox row, with confirms. A command the broker can never take (its
   * queue is gone, its content refused) is dead-lettered instead, like the relay does with an outbox row.
   * @throws the transport's error when the broker is unavailable (e.g. `CONNECTION_LOST`, `TRANSPORT_UNAVAILABLE`)
   */
  async publishCommands(commands: readonly StepCommand[]): Promise<void> {
    if (commands.length === 0) return;
    const messages = commands.map((command) => stepCommandMessage(this.settings.namespace, command));
    try {
      await this.transport.publish(messages);
    } catch (error) {
      if (messages.length === 1 && deadEndCode(error) === undefined) throw error;
      for (const message of messages) await this.publishOrDeadLetter(message);
    }
  }

  /** Publishes what a commit sends now; false when commands without an outbox row could not be published. */
  private async publishAfterCommit(rows: readonly OutboxMessage[], commands: readonly StepCommand[]): Promise<boolean> {
    if (commands.length === 0) {
      await this.publish(rows);
      return true;
    }
    const messages = [...rows.map(toOutgoing), ...commands.map((command) => stepCommandMessage(this.settings.namespace, command))];
    try {
      await this.transport.publish(messages);
    } catch (error) {
      this.logger.warn({
        message: 'Publish after commit failed; the message is kept until its commands are published',
        count: messages.length,
        error: (error as Error).message,
      });
      // The outbox rows wait for the relay; the commands are tried alone (one of them may be the one at fault).
      return this.publishCommands(commands).then(
        () => true,
        () => false,
      );
    }
    this.deleteLater(rows);
    return true;
  }

  private async publishOrDeadLetter(message: OutgoingMessage): Promise<void> {
    const code = await publishOrDeadLetter(this.transport, message, this.settings);
    if (code !== undefined)
      this.logger.warn({
        message: 'Step command cannot be published; dead-lettered',
        code,
        queue: message.routingKey,
        messageId: message.messageId,
      });
  }

  /** Publishes outbox rows with confirms and removes them; on failure leaves them to the relay. */
  async publish(rows: readonly OutboxMessage[]): Promise<boolean> {
    if (rows.length === 0) return true;
    try {
      await this.transport.publish(rows.map(toOutgoing));
    } catch (error) {
      this.logger.warn({
        message: 'Publish after commit failed; the outbox relay will publish',
        count: rows.length,
        error: (error as Error).message,
      });
      return false;
    }
    this.deleteLater(rows);
    return true;
  }

  /** Queues published rows for the next grouped deletion. */
  private deleteLater(rows: readonly OutboxMessage[]): void {
    if (rows.length === 0) return;
    for (const row of rows) this.published.push(row.id);
    this.deletionTimer ??= setTimeout(() => this.deletePublished(), DELETION_WINDOW_MS).unref();
  }

  /**
   * Deletes the rows published in the last window in one statement (its own transaction). Without the
   * window, at moderate load every publish cost a DELETE transaction and its WAL flush of its own.
   */
  private deletePublished(): void {
    const ids = this.published;
    this.published = [];
    this.deletionTimer = undefined;
    this.deletions.submit(ids).catch((error: unknown) => {
      // A row left behind is published again by the relay: a harmless duplicate, deduplicated by consumers.
      this.logger.warn({ message: 'Outbox cleanup failed; the relay will republish the row', error: (error as Error).message });
    });
  }

  /** Transitions waiting for or inside a commit. */
  get pendingWrites(): number {
    return this.writes.size + this.deletions.size + (this.published.length > 0 ? 1 : 0);
  }
}
