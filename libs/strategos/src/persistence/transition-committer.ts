import { Logger } from '@nestjs/common';
import { publishesEventKind, type StrategosSettings } from '../config/strategos-settings';
import type { Transition } from '../engine/transition';
import type { OutboxMessage } from '../messages/outbox-message';
import { toOutboxRows, toOutgoing } from '../messages/message-codec';
import { topologyNames } from '../messages/topology';
import type { StrategosMetrics } from '../metrics/strategos-metrics';
import type { Transport } from '../transport/transport.interface';
import { commitIsolatingFailures } from './commit-isolating-failures';
import { hasEventLog } from './event-log.interface';
import { GroupCommitQueue } from './group-commit-queue';
import { SortableIdGenerator } from './sortable-id';
import type { TransitionNotifier } from './transition-notifier';
import type { TransitionWrite, WorkflowStore, WriteResult } from './workflow-store.interface';

/** How long published outbox rows wait to be deleted together (the relay's lease keeps it off them meanwhile). */
const DELETION_WINDOW_MS = 20;

/** A transition to commit, with the guard the store checks. */
export interface CommitRequest {
  readonly inboxMessageId: string | null;
  readonly expectedVersion: number;
  readonly transition: Transition;
  /** Called with the committed instance as soon as the commit returns, before the publish (e.g. to cache it for the next step). */
  readonly onCommitted?: (instance: Transition['instance']) => void;
}

/**
 * The transactional outbox, writer side: commits transitions (grouped into few transactions under load),
 * then publishes their messages with confirms and removes them from the outbox. What it cannot publish
 * stays in the outbox for the relay.
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
  async commit(request: CommitRequest): Promise<WriteResult> {
    const now = new Date(request.transition.instance.updatedAt);
    // A store with an event log publishes the events from it (EventLogPublisher): they get no outbox row.
    const events = this.eventsFromLog ? [] : request.transition.events.filter((event) => publishesEventKind(this.settings, event.kind));
    const transition = { ...request.transition, events };
    const rows = toOutboxRows(this.settings.namespace, this.eventsExchange, transition, now, this.settings.outboxLeaseMs, () =>
      this.outboxIds.next(),
    );
    const { onCommitted, ...write } = request;
    const result = await this.writes.submit({ ...write, outbox: [...rows.publishNow, ...rows.delayed] });
    if (result === 'committed') {
      onCommitted?.(request.transition.instance);
      this.notifier.notify(request.transition.instance);
      await this.publish(rows.publishNow);
    }
    return result;
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
    for (const row of rows) this.published.push(row.id);
    this.deletionTimer ??= setTimeout(() => this.deletePublished(), DELETION_WINDOW_MS).unref();
    return true;
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
