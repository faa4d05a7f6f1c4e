/**
 * A durable timer a transition sets: stored in the outbox (PostgreSQL, indexed by due time) as a `FireTimer`
 * message for the workflow's control queue, published by the relay when due. The engine ignores a timer that no
 * longer matches the run (a signal won, the run moved on), so a timer published twice still acts once.
 */
export interface ScheduledTimer {
  /** The timer's id, also the id of the message that fires it. */
  readonly timerId: string;
  readonly workflowId: string;
  readonly workflowName: string;
  /** `wait`: ends a sleep or a signal wait's timeout; `deadline`: the workflow deadline. */
  readonly purpose: 'wait' | 'deadline';
  /** ISO-8601. */
  readonly dueAt: string;
}
