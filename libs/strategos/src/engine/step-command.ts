import type { StepRole } from '../definition/workflow-definition';

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
