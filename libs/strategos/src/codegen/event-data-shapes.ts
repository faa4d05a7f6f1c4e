import type { WorkflowEventKind } from '../engine/workflow-event';

/**
 * What a field of an event's `data` holds, as the transition engine fills it. The emitter turns each
 * into a type of the workflow's contracts; a spec checks the engine's events against these shapes.
 */
export type EventDataValue =
  | 'state'
  | 'patch'
  | 'phase'
  /** Any step of the workflow. */
  | 'step'
  /** The step the event is about: the event's type parameter, a step of the workflow. */
  | 'eventStep'
  | 'forwardStep'
  | 'compensationSteps'
  | 'number'
  | 'string'
  | 'nullableString'
  | 'retryCode'
  | 'true'
  | 'false'
  | 'failedStatus'
  | 'error'
  | 'nullableError'
  | 'previousError'
  /** A signal's payload (a JSON object). */
  | 'payload'
  | 'boolean';

/** One field of an event's `data`. */
export interface EventDataField {
  readonly name: string;
  readonly value: EventDataValue;
  readonly optional?: boolean;
}

/** The `data` of one event kind: one shape, or several (a union) told apart by a literal field. */
export interface EventDataShape {
  /** What the event says, for the generated documentation. */
  readonly summary: string;
  readonly variants: readonly (readonly EventDataField[])[];
}

const stepAttempt: readonly EventDataField[] = [
  { name: 'step', value: 'eventStep' },
  { name: 'attempt', value: 'number' },
];

/** Inside a `repeatUntil` loop: the innermost loop's name and pass (1 for the first); inside a fork: the path (`fork#1.2`). */
const loopPass: readonly EventDataField[] = [
  { name: 'loop', value: 'string', optional: true },
  { name: 'iteration', value: 'number', optional: true },
  { name: 'path', value: 'string', optional: true },
];

/** The `data` of each event kind, as `TransitionEngine` emits it (engine/transition-engine.ts). */
export const EVENT_DATA_SHAPES: Readonly<Record<WorkflowEventKind, EventDataShape>> = {
  Started: {
    summary:
      'The run started; `data.state` is the initial state, `data.deadlineMs` its deadline when it has one, `data.traceparent` its W3C trace context when traced.',
    variants: [
      [
        { name: 'state', value: 'state' },
        { name: 'deadlineMs', value: 'number', optional: true },
        { name: 'traceparent', value: 'string', optional: true },
      ],
    ],
  },
  PhaseChanged: {
    summary: 'The run moved to the phase of a step (inside a loop: with the loop and its pass).',
    variants: [
      [
        { name: 'from', value: 'phase' },
        { name: 'to', value: 'phase' },
        { name: 'signalId', value: 'string', optional: true },
        ...loopPass,
      ],
    ],
  },
  StepCompleted: {
    summary: 'A step succeeded; `data.patch` is the update merged into the state.',
    variants: [[...stepAttempt, { name: 'patch', value: 'patch' }, ...loopPass]],
  },
  StepFailed: {
    summary: 'An attempt of a step failed: a technical failure that will be retried, or a final failure.',
    variants: [
      [
        ...stepAttempt,
        { name: 'code', value: 'retryCode' },
        { name: 'message', value: 'string' },
        { name: 'willRetry', value: 'true' },
        { name: 'retryInMs', value: 'number' },
        ...loopPass,
      ],
      [
        ...stepAttempt,
        { name: 'code', value: 'string' },
        { name: 'message', value: 'string' },
        { name: 'willRetry', value: 'false' },
        ...loopPass,
      ],
    ],
  },
  Compensating: {
    summary: 'The failure path began; `data.steps` are the compensations to run, in order.',
    variants: [
      [
        { name: 'from', value: 'phase' },
        { name: 'reason', value: 'nullableString' },
        { name: 'steps', value: 'compensationSteps' },
      ],
    ],
  },
  Compensated: { summary: 'Every compensation succeeded.', variants: [[{ name: 'steps', value: 'compensationSteps' }]] },
  Completed: { summary: 'The run completed; `data.state` is the final state.', variants: [[{ name: 'state', value: 'state' }]] },
  Failed: {
    summary:
      'The run ended on its failure path: `compensated` when compensation ran, else `failed`; `compensationError` when a compensation or onFailure step failed too.',
    variants: [
      [
        { name: 'status', value: 'failedStatus' },
        { name: 'error', value: 'nullableError' },
        { name: 'compensationError', value: 'error', optional: true },
      ],
    ],
  },
  CancelRequested: {
    summary: 'A cancel was requested; a step that had started finishes first, one that had not never runs; then compensation runs.',
    variants: [
      [
        { name: 'reason', value: 'string' },
        { name: 'step', value: 'phase' },
      ],
    ],
  },
  Cancelled: { summary: 'The cancelled run ended.', variants: [[{ name: 'reason', value: 'string' }]] },
  Waiting: {
    summary: 'The run parked at a wait: `waitingFor` is the signal name (or `timer` for a sleep), `wakesAt` when its timer is due.',
    variants: [
      [
        { name: 'node', value: 'string' },
        { name: 'waitingFor', value: 'string' },
        { name: 'wakesAt', value: 'string', optional: true },
        ...loopPass,
      ],
    ],
  },
  SignalReceived: {
    summary:
      'A signal was accepted: applied at its wait (inside a fork: `path` names the path that waited), or `stored` until the run reaches it.',
    variants: [
      [
        { name: 'signal', value: 'string' },
        { name: 'signalId', value: 'string' },
        { name: 'payload', value: 'payload' },
        { name: 'stored', value: 'boolean' },
        { name: 'path', value: 'string', optional: true },
      ],
    ],
  },
  TimerFired: {
    summary:
      'A durable timer fired: a sleep ended, a signal wait timed out, the deadline passed, or (ignored) a timer the run no longer waits for.',
    variants: [
      [
        { name: 'timerId', value: 'string' },
        { name: 'purpose', value: 'string', optional: true },
        { name: 'node', value: 'string', optional: true },
        { name: 'dueAt', value: 'nullableString', optional: true },
        { name: 'ignored', value: 'true', optional: true },
        { name: 'reason', value: 'string', optional: true },
        ...loopPass,
      ],
    ],
  },
  Retried: {
    summary: 'The failed run resumed at the step that failed.',
    variants: [
      [
        { name: 'step', value: 'forwardStep' },
        { name: 'previousError', value: 'previousError' },
      ],
    ],
  },
  OperatorAction: {
    summary: 'An operator acted on the run from the dashboard (`data.action`, by `data.actor`): applied, or refused with `data.code`.',
    variants: [
      [
        { name: 'action', value: 'string' },
        { name: 'actor', value: 'nullableString' },
        { name: 'outcome', value: 'string' },
        { name: 'code', value: 'string', optional: true },
        { name: 'reason', value: 'string', optional: true },
        { name: 'deadLetterId', value: 'string', optional: true },
      ],
    ],
  },
};

/** Whether a kind's data is about one step, so that its type takes the step as a parameter (`StepCompleted`, `StepFailed`). */
export function isStepEvent(shape: EventDataShape): boolean {
  return shape.variants.some((fields) => fields.some((field) => field.value === 'eventStep'));
}
