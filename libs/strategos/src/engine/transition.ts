import type { ScheduledTimer } from './scheduled-timer';
import type { ScheduledCommand } from './step-command';
import type { WorkflowEvent } from './workflow-event';
import type { WorkflowInstance } from './workflow-instance';

/** The engine's answer: the next instance record, the events to append and the commands to send, all in one commit. */
export interface Transition {
  readonly instance: WorkflowInstance;
  readonly events: readonly WorkflowEvent[];
  readonly commands: readonly ScheduledCommand[];
  /** Durable timers set by this transition (waits, deadlines); stored with it in the outbox. */
  readonly timers?: readonly ScheduledTimer[];
  /** The run's W3C trace context, for the headers of what is published. */
  readonly traceparent?: string;
}

/** What the engine needs from the outside world, so that it stays pure and deterministic in tests. */
export interface TransitionContext {
  readonly now: Date;
  newId(): string;
  /** A number in [0, 1) for retry jitter. */
  random(): number;
  /** Trace context to put on the commands issued, when tracing is on. */
  readonly traceparent?: string;
  /** The id of the message being handled (causation of what is issued). */
  readonly causationId: string;
}
