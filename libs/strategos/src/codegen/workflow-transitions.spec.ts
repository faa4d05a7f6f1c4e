import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { StepOutcome } from '../engine/step-outcome';
import type { Transition, TransitionContext } from '../engine/transition';
import { TransitionEngine } from '../engine/transition-engine';
import { TransitionRejectedError } from '../engine/transition-rejected.error';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { DEFAULT_RETRY_POLICY } from '../step/retry-policy';
import type { ContractTransition, TransitionOutcome } from './contract-transition';
import { PROCESS_ORDER_SHAPE, SAMPLE_SHAPES, sampleWorkflow } from './testing/sample-workflows';
import { deriveTransitions } from './workflow-transitions';

/** One attempt per step, so that an error is an exhausted step. */
const engine = new TransitionEngine({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });

function context(): TransitionContext {
  let id = 0;
  return { now: new Date('2030-01-01T00:00:00.000Z'), newId: () => `id-${++id}`, random: () => 0.5, causationId: 'cause' };
}

const OUTCOMES: Readonly<Record<'succeeded' | 'failed' | 'exhausted' | 'skipped', StepOutcome>> = {
  succeeded: { kind: 'succeeded', patch: {} },
  failed: { kind: 'failed', error: { code: 'BUSINESS', message: 'no' } },
  exhausted: { kind: 'errored', message: 'boom', timedOut: false },
  skipped: { kind: 'skipped' },
};

/** The phases one transition passes through, from the instance's phase before it to the one after. */
function phasePath(before: WorkflowInstance, transition: Transition): string[] {
  const path = [before.phase];
  for (const event of transition.events) {
    if (event.kind === 'PhaseChanged') path.push(String(event.data.to));
    if (event.kind === 'Compensating') path.push('Compensating');
    if (event.kind === 'Compensated') path.push('Compensated');
  }
  if (path[path.length - 1] !== transition.instance.phase) path.push(transition.instance.phase);
  return path;
}

function edges(path: readonly string[], on: TransitionOutcome): string[] {
  return path.slice(1).map((to, index) => `${path[index]} -${index === 0 ? on : 'auto'}-> ${to}`);
}

/** What can happen next to an instance: each step outcome the runtime can report, a cancel request, a retry. */
function successors(
  definition: WorkflowDefinition,
  instance: WorkflowInstance,
): { on: TransitionOutcome | 'cancel-request'; transition: Transition }[] {
  const next: { on: TransitionOutcome | 'cancel-request'; transition: Transition }[] = [];
  const cursor = instance.cursor;
  if (instance.status === 'running' && cursor) {
    const cancelling = instance.cancelReason !== null && cursor.role === 'forward';
    for (const [name, outcome] of Object.entries(OUTCOMES)) {
      if (name === 'skipped' && !cancelling) continue;
      next.push({
        on: cancelling ? 'cancelled' : (name as TransitionOutcome),
        transition: engine.applyOutcome(definition, instance, outcome, context()),
      });
    }
  }
  // A cancel while the step runs is pending (explored through the outcomes above); one before it starts takes effect at once.
  const started = cursor
    ? { ...instance, version: instance.version + 1, cursor: { ...cursor, startedAt: '2030-01-01T00:00:00.000Z' } }
    : instance;
  for (const [on, act] of [
    ['cancel-request', () => engine.requestCancel(definition, started, 'changed my mind', context())],
    ['cancelled', () => engine.requestCancel(definition, instance, 'changed my mind', context())],
    ['retried', () => engine.retry(definition, instance, context())],
  ] as const) {
    try {
      next.push({ on, transition: act() });
    } catch (error) {
      if (!(error instanceof TransitionRejectedError)) throw error;
    }
  }
  return next;
}

/** Every phase change the engine can make for `definition`, found by exploring all runs. */
function observedTransitions(definition: WorkflowDefinition): Set<string> {
  const observed = new Set<string>();
  const seen = new Set<string>();
  const started = engine.start(definition, { workflowId: 'wf-1' }, context());
  edges(phasePath({ phase: 'NotStarted' } as WorkflowInstance, started), 'started').forEach((edge) => observed.add(edge));
  const queue: WorkflowInstance[] = [started.instance];
  while (queue.length > 0) {
    const instance = queue.shift()!;
    const key = JSON.stringify([
      instance.phase,
      instance.status,
      instance.cursor?.step,
      instance.completedSteps,
      instance.cancelReason,
      instance.error?.step,
      instance.compensationError !== null,
    ]);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const { on, transition } of successors(definition, instance)) {
      if (on !== 'cancel-request') edges(phasePath(instance, transition), on).forEach((edge) => observed.add(edge));
      queue.push(transition.instance);
    }
  }
  return observed;
}

const asEdge = (row: ContractTransition): string => `${row.from} -${row.on}-> ${row.to}`;

describe('deriveTransitions', () => {
  it.each(SAMPLE_SHAPES.map((shape) => [shape.name, shape] as const))(
    'lists exactly the phase changes the engine makes (%s)',
    (_name, shape) => {
      const definition = sampleWorkflow(shape);
      const table = deriveTransitions(definition);
      expect([...new Set(table.map(asEdge))].sort()).toEqual([...observedTransitions(definition)].sort());
    },
  );

  it.each(SAMPLE_SHAPES.map((shape) => [shape.name, shape] as const))(
    'leads to one phase per phase, outcome and condition (%s)',
    (_name, shape) => {
      const rows = deriveTransitions(sampleWorkflow(shape));
      const keys = rows.map((row) => `${row.from} ${row.on} ${row.when ?? ''}`);
      expect(new Set(keys).size).toBe(keys.length);
    },
  );

  it('gives the order saga its forward chain, failure path, cancellation and retries', () => {
    const rows = deriveTransitions(sampleWorkflow(PROCESS_ORDER_SHAPE)).map(
      (row) => `${row.from} -${row.on}-> ${row.to}${row.when ? ` [${row.when}]` : ''}`,
    );
    expect(rows).toEqual([
      'NotStarted -started-> ValidateOrder',
      'ValidateOrder -succeeded-> ProcessPayment',
      'ValidateOrder -failed-> SendFailureNotification',
      'ValidateOrder -exhausted-> SendFailureNotification',
      'ValidateOrder -cancelled-> Cancelled',
      'ProcessPayment -succeeded-> ReserveInventory',
      'ProcessPayment -failed-> SendFailureNotification',
      'ProcessPayment -exhausted-> SendFailureNotification',
      'ProcessPayment -cancelled-> Compensating [ProcessPayment completed]',
      'ProcessPayment -cancelled-> Cancelled [ProcessPayment not completed]',
      'ReserveInventory -succeeded-> FulfillOrder',
      'ReserveInventory -failed-> Compensating',
      'ReserveInventory -exhausted-> Compensating',
      'ReserveInventory -cancelled-> Compensating',
      'FulfillOrder -succeeded-> SendConfirmation',
      'FulfillOrder -failed-> Compensating',
      'FulfillOrder -exhausted-> Compensating',
      'FulfillOrder -cancelled-> Compensating',
      'SendConfirmation -succeeded-> Completed',
      'SendConfirmation -failed-> Compensating',
      'SendConfirmation -exhausted-> Compensating',
      'SendConfirmation -cancelled-> Compensating',
      'Compensating -auto-> ReleaseInventory [undo ReserveInventory]',
      'Compensating -auto-> RefundPayment [undo ProcessPayment]',
      'ReleaseInventory -succeeded-> RefundPayment',
      'ReleaseInventory -failed-> Failed',
      'ReleaseInventory -exhausted-> Failed',
      'RefundPayment -succeeded-> Compensated',
      'RefundPayment -failed-> Failed',
      'RefundPayment -exhausted-> Failed',
      'Compensated -auto-> Cancelled [cancel requested]',
      'Compensated -auto-> SendFailureNotification [no cancel]',
      'SendFailureNotification -succeeded-> Compensated [compensated]',
      'SendFailureNotification -succeeded-> Failed [nothing compensated]',
      'SendFailureNotification -failed-> Failed',
      'SendFailureNotification -exhausted-> Failed',
      'Failed -retried-> ValidateOrder [ValidateOrder failed]',
      'Failed -retried-> ProcessPayment [ProcessPayment failed]',
    ]);
  });
});
