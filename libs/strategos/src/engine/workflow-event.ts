import type { JsonObject } from '../state/workflow-state.interface';

/** The kinds of workflow events; the event type is the workflow's PascalCase name followed by the kind. */
export const WorkflowEventKind = {
  Started: 'Started',
  PhaseChanged: 'PhaseChanged',
  StepCompleted: 'StepCompleted',
  StepFailed: 'StepFailed',
  Compensating: 'Compensating',
  Compensated: 'Compensated',
  Completed: 'Completed',
  Failed: 'Failed',
  CancelRequested: 'CancelRequested',
  Cancelled: 'Cancelled',
  Retried: 'Retried',
  Waiting: 'Waiting',
  SignalReceived: 'SignalReceived',
  TimerFired: 'TimerFired',
  /** An operator acted on the run (dashboard): recorded in its history with who did it; changes nothing else. */
  OperatorAction: 'OperatorAction',
} as const;

export type WorkflowEventKind = (typeof WorkflowEventKind)[keyof typeof WorkflowEventKind];

/** One recorded transition: stored in the event log and published on the events exchange. */
export interface WorkflowEvent {
  readonly eventId: string;
  /** e.g. `ProcessOrderPhaseChanged`. */
  readonly type: string;
  readonly kind: WorkflowEventKind;
  readonly workflowId: string;
  readonly workflowName: string;
  /** 1 for `Started`, then +1 per event of the instance. */
  readonly sequence: number;
  readonly timestamp: string;
  readonly data: JsonObject;
}
