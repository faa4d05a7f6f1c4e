import type { WorkflowEvent } from '../../engine/workflow-event';
import type { WorkflowInstance } from '../../engine/workflow-instance';
import type { OutboxMessage } from '../../messages/outbox-message';
import type { TransitionWrite, WorkflowStore, WriteResult } from '../workflow-store.interface';

/** A deep copy through JSON, as a database would store it: callers never share references with the store. */
function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The {@link WorkflowStore} in process memory, with the semantics of the PostgreSQL store: atomic
 * batches, inbox deduplication, version-guarded writes, outbox leases in real time. Everything is
 * copied on write and on read. Used by `StrategosTestHarness` and when no database is configured;
 * nothing survives the process.
 */
export class InMemoryWorkflowStore implements WorkflowStore {
  private readonly instances = new Map<string, WorkflowInstance>();
  private readonly events = new Map<string, WorkflowEvent[]>();
  /** Message id -> when it was processed (epoch ms). */
  private readonly inbox = new Map<string, number>();
  private readonly outbox = new Map<string, OutboxMessage>();

  async migrate(): Promise<void> {}

  async load(workflowId: string): Promise<WorkflowInstance | null> {
    const instance = this.instances.get(workflowId);
    return instance ? cloneJson(instance) : null;
  }

  /**
   * Applies the batch write by write, in order. Atomic: the writes are copied (the only step that can
   * throw) before anything is applied, and nothing awaits in between.
   */
  async commit(writes: readonly TransitionWrite[]): Promise<WriteResult[]> {
    const copies = cloneJson(writes);
    return copies.map((write) => this.apply(write));
  }

  async history(workflowId: string): Promise<WorkflowEvent[]> {
    const events = this.events.get(workflowId) ?? [];
    return cloneJson([...events].sort((a, b) => a.sequence - b.sequence));
  }

  /** Claims due rows in the order they became due; the returned `availableAt` is the end of the lease. */
  async claimDueOutbox(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const now = Date.now();
    const leaseUntil = new Date(now + leaseMs).toISOString();
    const due = [...this.outbox.values()]
      .filter((message) => Date.parse(message.availableAt) <= now)
      .sort((a, b) => Date.parse(a.availableAt) - Date.parse(b.availableAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, Math.max(0, limit));
    return due.map((message) => {
      const claimed = { ...message, availableAt: leaseUntil };
      this.outbox.set(message.id, claimed);
      return cloneJson(claimed);
    });
  }

  async deleteOutbox(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.outbox.delete(id);
  }

  /** Outbox rows not yet deleted. */
  async countOutbox(): Promise<number> {
    return this.outbox.size;
  }

  /** Forgets inbox entries older than `olderThanMs`; returns how many (see `PostgresWorkflowStore.pruneInbox`). */
  async pruneInbox(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - Math.max(0, olderThanMs);
    let pruned = 0;
    for (const [messageId, processedAt] of this.inbox) {
      if (processedAt < cutoff) {
        this.inbox.delete(messageId);
        pruned += 1;
      }
    }
    return pruned;
  }

  async close(): Promise<void> {}

  private apply(write: TransitionWrite): WriteResult {
    const { inboxMessageId, expectedVersion, transition, outbox } = write;
    const { workflowId } = transition.instance;
    if (inboxMessageId !== null && this.inbox.has(inboxMessageId)) return 'duplicate';
    const current = this.instances.get(workflowId);
    if (expectedVersion === 0 && current) return 'duplicate';
    if (expectedVersion !== 0 && current?.version !== expectedVersion) return 'conflict';
    if (inboxMessageId !== null) this.inbox.set(inboxMessageId, Date.now());
    this.instances.set(workflowId, transition.instance);
    this.events.set(workflowId, [...(this.events.get(workflowId) ?? []), ...transition.events]);
    for (const message of outbox) this.outbox.set(message.id, message);
    return 'committed';
  }
}
