import type { StepRole } from '../definition/workflow-definition';
import type { StepCursor } from './workflow-instance';

/** The `Execute<Step>Command` envelope: asks a worker to run one attempt of one step of one instance. */
export interface StepCommand {
  readonly messageId: string;
  /** `Execute<Step>Command`. */
  readonly type: string;
  readonly workflowId: string;
  readonly workflowName: string;
  readonly step: string;
  readonly role: StepRole;
  readonly attempt: number;
  readonly idempotencyKey: string;
  /** The workflow id: ties every message of one run together. */
  readonly correlationId: string;
  /** The id of the message whose handling issued this command. */
  readonly causationId: string;
  readonly createdAt: string;
  /** W3C trace context of the run, when tracing is on. */
  readonly traceparent?: string;
}

/** A command and the earliest time it may be delivered (later than now for a retry back-off). */
export interface ScheduledCommand {
  readonly command: StepCommand;
  readonly availableAt: string;
}

/** What a step command says besides its position: the run, the message that issued it, when, and the trace. */
export interface CommandOrigin {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly causationId: string;
  readonly createdAt: string;
  readonly traceparent?: string;
}

/**
 * The command a position waits for. The one place a command is built, so that a command derived again from a
 * stored position (see `reissuedCommands`) is the very message first issued: same id, same body, same key order.
 */
export function stepCommandFor(cursor: Pick<StepCursor, 'step' | 'role' | 'attempt' | 'commandId'>, origin: CommandOrigin): StepCommand {
  return {
    messageId: cursor.commandId,
    type: `Execute${cursor.step}Command`,
    workflowId: origin.workflowId,
    workflowName: origin.workflowName,
    step: cursor.step,
    role: cursor.role,
    attempt: cursor.attempt,
    idempotencyKey: `${origin.workflowId}:${cursor.step}`,
    correlationId: origin.workflowId,
    causationId: origin.causationId,
    createdAt: origin.createdAt,
    ...(origin.traceparent ? { traceparent: origin.traceparent } : {}),
  };
}
