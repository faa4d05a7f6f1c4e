import type { WorkflowDefinition } from '../definition/workflow-definition';
import { Workflow } from '../definition/workflow';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { StepOutcome } from '../engine/step-outcome';
import type { TransitionContext } from '../engine/transition';
import { TransitionEngine } from '../engine/transition-engine';
import { WorkflowEventKind, type WorkflowEvent } from '../engine/workflow-event';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { recordOperatorAction } from '../engine/operator-action';
import type { JsonValue } from '../state/workflow-state.interface';
import { DEFAULT_RETRY_POLICY } from '../step/retry-policy';
import { derivePhases } from './workflow-phases';
import { EVENT_DATA_SHAPES, type EventDataField, type EventDataValue } from './event-data-shapes';
import { PROCESS_ORDER_SHAPE, sampleWorkflow } from './testing/sample-workflows';

const engine = new TransitionEngine({ ...DEFAULT_RETRY_POLICY, maxAttempts: 2 });
const context = (): TransitionContext => ({
  now: new Date('2030-01-01T00:00:00.000Z'),
  newId: () => 'id',
  random: () => 0.5,
  causationId: 'cause',
});

const succeeded: StepOutcome = { kind: 'succeeded', patch: { note: 'done' } };
const failed: StepOutcome = { kind: 'failed', error: { code: 'NOPE', message: 'no', details: { why: 'because' } } };
const errored: StepOutcome = { kind: 'errored', message: 'boom', timedOut: true };

/** Every event of runs that take each path: success, retry, business failure with compensation, compensation failure, cancel, retry of a failed run (recorded as an operator action). */
function eventsOfEveryPath(definition: WorkflowDefinition): WorkflowEvent[] {
  const events: WorkflowEvent[] = [];
  const run = (outcomes: readonly (StepOutcome | 'cancel' | 'retry' | 'operator')[]): void => {
    let transition = engine.start(definition, { workflowId: 'wf', note: 'start' }, context());
    events.push(...transition.events);
    let instance: WorkflowInstance = transition.instance;
    for (const outcome of outcomes) {
      if (outcome === 'cancel') transition = engine.requestCancel(definition, instance, 'customer asked', context());
      else if (outcome === 'retry') transition = engine.retry(definition, instance, context());
      else if (outcome === 'operator')
        transition = recordOperatorAction(instance, definition.typeName, { action: 'retry', actor: 'ana', outcome: 'applied' }, context());
      else transition = engine.applyOutcome(definition, instance, outcome, context());
      events.push(...transition.events);
      instance = transition.instance;
    }
  };
  run([succeeded, errored, succeeded, succeeded, succeeded, succeeded]);
  run([succeeded, succeeded, succeeded, failed, succeeded, succeeded, succeeded]);
  run([succeeded, succeeded, succeeded, errored, errored, failed]);
  run([succeeded, succeeded, 'cancel', succeeded, succeeded, succeeded]);
  run([succeeded, failed, succeeded, 'retry', 'operator', succeeded]);
  return events;
}

function matches(value: JsonValue | undefined, expected: EventDataValue, definition: WorkflowDefinition): boolean {
  const steps = [...definition.stepsByName.values()];
  const names = (role?: string) => steps.filter((step) => role === undefined || step.role === role).map((step) => step.name);
  const isError = (candidate: JsonValue | undefined) =>
    typeof candidate === 'object' &&
    candidate !== null &&
    !Array.isArray(candidate) &&
    typeof candidate.code === 'string' &&
    typeof candidate.message === 'string';
  switch (expected) {
    case 'state':
    case 'patch':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'phase':
      return derivePhases(definition).some((phase) => phase.name === value);
    case 'step':
    case 'eventStep':
      return names().includes(String(value));
    case 'forwardStep':
      return names('forward').includes(String(value));
    case 'compensationSteps':
      return Array.isArray(value) && value.every((step) => names('compensation').includes(String(step)));
    case 'number':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'nullableString':
      return value === null || typeof value === 'string';
    case 'retryCode':
      return value === 'STEP_TIMEOUT' || value === 'STEP_ERROR';
    case 'true':
      return value === true;
    case 'false':
      return value === false;
    case 'failedStatus':
      return value === 'failed' || value === 'compensated';
    case 'error':
      return isError(value) && typeof (value as { step?: unknown }).step === 'string';
    case 'nullableError':
      return value === null || matches(value, 'error', definition);
    case 'previousError':
      return isError(value);
    case 'payload':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function fitsVariant(event: WorkflowEvent, fields: readonly EventDataField[], definition: WorkflowDefinition): boolean {
  const declared = new Set(fields.map((field) => field.name));
  return (
    Object.keys(event.data).every((key) => declared.has(key)) &&
    fields.every((field) => (field.optional && !(field.name in event.data)) || matches(event.data[field.name], field.value, definition))
  );
}

/** The same steps with waits and a deadline: a signal kept early, a signal at its wait, a sleep, a timeout, a deadline, a stale timer. */
function waitingWorkflow(base: WorkflowDefinition): WorkflowDefinition {
  const [first, second] = base.steps;
  return Workflow.create<WorkflowState>('process-order', { deadlineMs: 60_000 })
    .startWith(first.stepClass)
    .awaitSignal('go', { timeoutMs: 1_000, apply: () => ({ note: 'went' }) })
    .sleep(1_000)
    .awaitSignal('again', { timeoutMs: 1_000, onTimeout: (b) => b.complete() })
    .finally(second.stepClass);
}

function eventsOfWaits(definition: WorkflowDefinition): WorkflowEvent[] {
  const events: WorkflowEvent[] = [];
  let instance: WorkflowInstance;
  const record = (transition: { instance: WorkflowInstance; events: readonly WorkflowEvent[] } | null) => {
    if (!transition) return;
    events.push(...transition.events);
    instance = transition.instance;
  };
  const signal = (name: string, signalId: string) =>
    engine.receiveSignal(definition, instance, { signalId, name, payload: {}, receivedAt: 'x' }, context()).transition;
  const timer = () => instance.cursor?.wait?.timerId ?? 'none';
  record(engine.start(definition, { workflowId: 'wf', note: 'start' }, context()));
  record(signal('go', 's1'));
  record(engine.applyOutcome(definition, instance!, succeeded, context()));
  record(engine.fireTimer(definition, instance!, 'stale', context()));
  record(engine.fireTimer(definition, instance!, timer(), context()));
  record(engine.fireTimer(definition, instance!, timer(), context()));
  record(engine.start(definition, { workflowId: 'wf2', note: 'start' }, context()));
  record(engine.applyOutcome(definition, instance!, succeeded, context()));
  record(signal('go', 's2'));
  record(engine.fireTimer(definition, instance!, instance!.control!.deadline!.timerId, context()));
  return events;
}

describe('EVENT_DATA_SHAPES', () => {
  const definition = sampleWorkflow(PROCESS_ORDER_SHAPE);
  const waiting = waitingWorkflow(definition);
  const events = [
    ...eventsOfEveryPath(definition).map((event) => [event, definition] as const),
    ...eventsOfWaits(waiting).map((event) => [event, waiting] as const),
  ];

  it('describes every event kind the engine emits', () => {
    expect(new Set(events.map(([event]) => event.kind))).toEqual(new Set(Object.values(WorkflowEventKind)));
  });

  it.each(events.map(([event, owner]) => [event.kind, event, owner] as const))(
    "matches the data of the engine's %s events",
    (_kind, event, owner) => {
      const shape = EVENT_DATA_SHAPES[event.kind];
      expect(shape.variants.some((fields) => fitsVariant(event, fields, owner))).toBe(true);
    },
  );
});
