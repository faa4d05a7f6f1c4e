import type { WorkflowEvent } from '../../engine/workflow-event';
import { markedStarted } from '../../engine/fork-join';
import { positionFor, TERMINAL_STATUSES, type WorkflowInstance } from '../../engine/workflow-instance';
import { StrategosHeader, type OutboxMessage } from '../../messages/outbox-message';
import type { InstanceListQuery, InstancePage } from '../instance-list-query.interface';
import type { StepDuration } from '../step-duration.interface';
import type { IdlePosition, StoreGauges } from '../store-gauges';
import { summariseStepDurations } from '../step-duration-summary';
import type { StepTimingMark } from '../step-timing-mark.interface';
import { TerminalSubscriptions, type Unsubscribe } from '../terminal-subscriptions';
import type { StepStartMark, TransitionWrite, WorkflowStore, WriteResult } from '../workflow-store.interface';
import { compareListPosition, matchesListQuery } from './list-order';
import { type Clock, SYSTEM_CLOCK } from '../../signals/clock';

/** A deep copy through JSON, as a database would store it: callers never share references with the store. */
function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The events that time steps, in sequence order. */
function timingMarks(events: readonly WorkflowEvent[]): StepTimingMark[] {
  return [...events]
    .sort((a, b) => a.sequence - b.sequence)
    .flatMap((event): StepTimingMark[] => {
      if (event.kind === 'PhaseChanged') return [{ kind: event.kind, step: String(event.data.to), at: Date.parse(event.timestamp) }];
      if (event.kind === 'StepCompleted') return [{ kind: event.kind, step: String(event.data.step), at: Date.parse(event.timestamp) }];
      return [];
    });
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
  /** When each outbox row was written, in ms (the outbox age gauge). */
  private readonly outboxWrittenAt = new Map<string, number>();
  private readonly terminal = new TerminalSubscriptions();

  /** @param clock what "due" is judged by for outbox rows (the test harness's controllable clock). */
  constructor(private readonly clock: Clock = SYSTEM_CLOCK) {}

  async migrate(): Promise<void> {}

  async load(workflowId: string): Promise<WorkflowInstance | null> {
    const instance = this.instances.get(workflowId);
    return instance ? cloneJson(instance) : null;
  }

  async loadMany(workflowIds: readonly string[]): Promise<(WorkflowInstance | null)[]> {
    return Promise.all(workflowIds.map((workflowId) => this.load(workflowId)));
  }

  /**
   * Applies the batch write by write, in order. Atomic: the writes are copied (the only step that can
   * throw) before anything is applied, and nothing awaits in between.
   */
  async commit(writes: readonly TransitionWrite[]): Promise<WriteResult[]> {
    const copies = cloneJson(writes);
    const results = copies.map((write) => this.apply(write));
    copies.forEach((write, index) => {
      const { instance } = write.transition;
      if (results[index] === 'committed' && TERMINAL_STATUSES.has(instance.status)) this.terminal.notify(instance.workflowId);
    });
    return results;
  }

  async markStepsStarted(marks: readonly StepStartMark[]): Promise<boolean[]> {
    return marks.map(({ workflowId, expectedVersion, commandId, startedAt }) => {
      const current = this.instances.get(workflowId);
      if (!current || current.version !== expectedVersion || current.status !== 'running' || !positionFor(current, commandId)) return false;
      this.instances.set(workflowId, { ...markedStarted(current, commandId, startedAt), version: current.version + 1 });
      return true;
    });
  }

  async history(workflowId: string): Promise<WorkflowEvent[]> {
    const events = this.events.get(workflowId) ?? [];
    return cloneJson([...events].sort((a, b) => a.sequence - b.sequence));
  }

  async list(query: InstanceListQuery): Promise<InstancePage> {
    const { after } = query;
    const matching = [...this.instances.values()]
      .filter((instance) => matchesListQuery(instance, query) && (!after || compareListPosition(instance, after) > 0))
      .sort(compareListPosition);
    const page = matching.slice(0, query.limit);
    const last = page.at(-1);
    const next = matching.length > query.limit && last ? { startedAt: last.startedAt, workflowId: last.workflowId } : null;
    return { instances: cloneJson(page), next };
  }

  /** See the port; recent runs are the completed instances with the latest `updatedAt`. */
  async stepDurations(workflowName: string, recentRuns: number): Promise<StepDuration[]> {
    const runs = [...this.instances.values()]
      .filter((instance) => instance.workflowName === workflowName && instance.status === 'completed')
      .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt))
      .slice(0, Math.max(0, Math.floor(recentRuns)));
    return summariseStepDurations(runs.map((instance) => timingMarks(this.events.get(instance.workflowId) ?? [])));
  }

  /** Listeners are called synchronously by the commit that ends the workflow. */
  async subscribeTerminal(workflowId: string, listener: () => void): Promise<Unsubscribe> {
    return this.terminal.add(workflowId, listener);
  }

  /**
   * Claims due, unleased rows in the order they became due; the returned `leaseUntil` is the end of the new lease.
   * Leases end by time only (one process: its writer cannot die without the store).
   */
  async claimDueOutbox(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const now = this.clock.now().getTime();
    const leaseUntil = new Date(now + leaseMs).toISOString();
    const due = [...this.outbox.values()]
      .filter((message) => Date.parse(message.availableAt) <= now && (message.leaseUntil === null || Date.parse(message.leaseUntil) <= now))
      .sort((a, b) => Date.parse(a.availableAt) - Date.parse(b.availableAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, Math.max(0, limit));
    return due.map((message) => {
      const claimed = { ...message, leaseUntil };
      this.outbox.set(message.id, claimed);
      return cloneJson(claimed);
    });
  }

  async deleteOutbox(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      this.outbox.delete(id);
      this.outboxWrittenAt.delete(id);
    }
  }

  /** Outbox rows not yet deleted. */
  /** Outbox backlog and age, running instances per workflow and those waiting for a retry's due time. */
  async gauges(): Promise<StoreGauges> {
    const now = Date.now();
    let oldest = now;
    const waiting = new Set<string>();
    for (const message of this.outbox.values()) {
      oldest = Math.min(oldest, this.outboxWrittenAt.get(message.id) ?? now);
      const attempt = Number(message.body.attempt ?? 1); // a command's attempt is in its body
      if (message.exchange === '' && attempt > 1 && Date.parse(message.availableAt) > now)
        waiting.add(String(message.headers[StrategosHeader.WorkflowId]));
    }
    const runs = new Map<string, { workflow: string; running: number; waiting: number }>();
    for (const instance of this.instances.values()) {
      if (instance.status !== 'running') continue;
      const entry = runs.get(instance.workflowName) ?? { workflow: instance.workflowName, running: 0, waiting: 0 };
      entry.running += 1;
      if (waiting.has(instance.workflowId)) entry.waiting += 1;
      runs.set(instance.workflowName, entry);
    }
    return { outboxBacklog: this.outbox.size, outboxOldestAgeMs: Math.max(0, now - oldest), runs: [...runs.values()] };
  }

  /** Running instances whose last transition is older than `olderThanMs`, grouped by workflow and phase. */
  async idlePositions(olderThanMs: number): Promise<IdlePosition[]> {
    const cutoff = Date.now() - olderThanMs;
    const positions = new Map<string, { workflow: string; phase: string; runs: number; since: Date }>();
    for (const instance of this.instances.values()) {
      const updatedAt = Date.parse(instance.updatedAt);
      if (instance.status !== 'running' || updatedAt >= cutoff) continue;
      const key = `${instance.workflowName}\u0000${instance.phase}`;
      const entry = positions.get(key) ?? { workflow: instance.workflowName, phase: instance.phase, runs: 0, since: new Date(updatedAt) };
      entry.runs += 1;
      if (updatedAt < entry.since.getTime()) entry.since = new Date(updatedAt);
      positions.set(key, entry);
    }
    return [...positions.values()];
  }

  async countOutbox(): Promise<number> {
    return this.outbox.size;
  }

  /** Forgets inbox entries older than `olderThanMs`; returns how many (see `PostgresWorkflowStore.pruneInbox`). */
  async pruneInbox(olderThanMs: number, limit = Number.POSITIVE_INFINITY): Promise<number> {
    const cutoff = Date.now() - Math.max(0, olderThanMs);
    let pruned = 0;
    for (const [messageId, processedAt] of this.inbox) {
      if (pruned >= limit) break;
      if (processedAt < cutoff) {
        this.inbox.delete(messageId);
        pruned += 1;
      }
    }
    return pruned;
  }

  /** Forgets up to `limit` instances finished more than `olderThanMs` ago, with their events. */
  async pruneFinishedRuns(olderThanMs: number, limit: number): Promise<number> {
    const cutoff = Date.now() - Math.max(0, olderThanMs);
    let pruned = 0;
    for (const [workflowId, instance] of this.instances) {
      if (pruned >= limit) break;
      if (instance.completedAt !== null && Date.parse(instance.completedAt) < cutoff) {
        this.instances.delete(workflowId);
        this.events.delete(workflowId);
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
    const writtenAt = Date.now();
    for (const message of outbox) {
      this.outbox.set(message.id, message);
      this.outboxWrittenAt.set(message.id, writtenAt);
    }
    return 'committed';
  }
}
