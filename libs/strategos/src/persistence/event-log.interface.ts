import type { WorkflowEvent } from '../engine/workflow-event';

/**
 * A place in the event log's publication order: the inserting transaction's id, then the row's position
 * (PostgreSQL `xid8` and `bigint`, as decimal strings).
 */
export interface EventLogPosition {
  readonly tx: string;
  readonly position: string;
}

/** An event read from the log, with what its message needs besides the event. */
export interface LoggedEvent {
  readonly event: WorkflowEvent;
  /** The W3C trace context of the transition that recorded it, when it had one. */
  readonly traceparent: string | null;
  readonly at: EventLogPosition;
}

/** See {@link EventLog.lead}. */
export type Leadership = 'acquired' | 'held' | 'standby';

/**
 * The event log as a source of messages: read in the order transactions got their ids, and only up to the
 * oldest transaction still running, so that a row committed out of that order is never passed over. One
 * reader per namespace leads (the others stand by); its cursor is durable.
 */
export interface EventLog {
  /**
   * Whether this process leads the publication for `namespace`: `acquired` when it just took the lead (a lock held by
   * its database session, released when the session ends, e.g. when the process dies), `held` when it still holds
   * it (cheap), `standby` while another process holds it.
   */
  lead(namespace: string): Promise<Leadership>;
  /** Where the publication of `namespace` stands (the start of the log the first time). Only the leader calls it. */
  cursor(namespace: string): Promise<EventLogPosition>;
  /** Up to `limit` events after `after`, in publication order, of transactions that have ended. */
  readAfter(after: EventLogPosition, limit: number): Promise<LoggedEvent[]>;
  /** Records that everything up to `to` is published (never moves the cursor back). */
  advance(namespace: string, to: EventLogPosition): Promise<void>;
  /**
   * Moves the cursor past every event of the transactions that have ended, without reading them (when no kind is
   * published); never moves it back.
   */
  skipToEnd(namespace: string): Promise<void>;
  /** Gives up the leadership and closes the leader's session. */
  resign(): Promise<void>;
}

/** A store whose events are published from its log by an `EventLogPublisher` rather than through the outbox. */
export interface EventLogSource {
  readonly eventLog: EventLog;
}

/** Whether `store` publishes its events from its log (the PostgreSQL store does; the in-memory store uses its outbox). */
export function hasEventLog(store: object): store is EventLogSource {
  const log = (store as Partial<EventLogSource>).eventLog;
  return typeof log === 'object' && log !== null;
}
