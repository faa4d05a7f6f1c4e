import { Workflow } from '../definition/workflow';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { StepOutcome } from '../engine/step-outcome';
import type { Transition, TransitionContext } from '../engine/transition';
import { TransitionEngine } from '../engine/transition-engine';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { DEFAULT_RETRY_POLICY } from '../step/retry-policy';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import { stepNamed } from './testing/sample-workflows';
import { deriveTransitions } from './workflow-transitions';

interface GraphState extends WorkflowState {
  readonly kind?: string;
  readonly done?: boolean;
  readonly ok?: boolean;
}

/** One attempt per step, so that an error is an exhausted step. */
const engine = new TransitionEngine({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });
const context = (): TransitionContext => {
  let id = 0;
  return { now: new Date('2030-01-01T00:00:00.000Z'), newId: () => `id-${++id}`, random: () => 0.5, causationId: 'cause' };
};

/** Patches that take every case of the conditions below. */
const PATCHES: readonly JsonObject[] = [
  { kind: 'a', done: false, ok: true },
  { kind: 'b', done: true, ok: true },
  { kind: 'z', done: true, ok: true },
  { kind: 'a', done: true, ok: false },
  { kind: 'z', done: false, ok: true },
];

const OUTCOMES: readonly StepOutcome[] = [
  ...PATCHES.map((patch): StepOutcome => ({ kind: 'succeeded', patch })),
  { kind: 'failed', error: { code: 'NO', message: 'no' } },
  { kind: 'errored', message: 'boom', timedOut: false },
];

/** The phase changes of one transition, as `from -> to` (Compensating and Compensated are phases of their own). */
function phaseEdges(before: WorkflowInstance, transition: Transition): string[] {
  const path = [before.phase];
  for (const event of transition.events) {
    if (event.kind === 'PhaseChanged') path.push(String(event.data.to));
    if (event.kind === 'Compensating') path.push('Compensating');
    if (event.kind === 'Compensated') path.push('Compensated');
  }
  if (path[path.length - 1] !== transition.instance.phase) path.push(transition.instance.phase);
  return path.slice(1).map((to, index) => `${path[index]} -> ${to}`);
}

/** Every phase change the engine makes for `definition` under the outcomes above, found by exploring all runs (bounded). */
function observed(definition: WorkflowDefinition): Set<string> {
  const edges = new Set<string>();
  const seen = new Set<string>();
  const started = engine.start(definition, { workflowId: 'wf-1' }, context());
  phaseEdges({ phase: 'NotStarted' } as WorkflowInstance, started).forEach((edge) => edges.add(edge));
  const queue = [started.instance];
  while (queue.length > 0 && seen.size < 20_000) {
    const instance = queue.shift()!;
    const key = JSON.stringify([
      instance.phase,
      instance.status,
      instance.cursor,
      instance.completedSteps,
      instance.state,
      instance.error?.step,
    ]);
    if (seen.has(key) || instance.status !== 'running') continue;
    seen.add(key);
    for (const outcome of OUTCOMES) {
      const transition = engine.applyOutcome(definition, instance, outcome, context());
      phaseEdges(instance, transition).forEach((edge) => edges.add(edge));
      queue.push({ ...transition.instance, cursor: transition.instance.cursor && { ...transition.instance.cursor, commandId: 'x' } });
    }
  }
  return edges;
}

/** The forward and failure edges of the table (cancel and retry rows need a cancel request or a retry, not explored here). */
function tableEdges(definition: WorkflowDefinition): Set<string> {
  return new Set(
    deriveTransitions(definition)
      .filter((row) => row.on !== 'cancelled' && row.on !== 'retried' && !(row.from === 'Compensated' && row.to === 'Cancelled'))
      .map((row) => `${row.from} -> ${row.to}`),
  );
}

const GRAPHS: readonly (readonly [string, () => WorkflowDefinition])[] = [
  [
    'branch with compensation in one case, then finally',
    () =>
      Workflow.create<GraphState>('branchy')
        .startWith(stepNamed('Start'))
        .then(stepNamed('Charge'), { compensate: stepNamed('Refund') })
        .branch((s) => s.kind ?? 'a', {
          a: (b) => b.then(stepNamed('Reserve'), { compensate: stepNamed('Release') }).then(stepNamed('Ship')),
          b: (b) => b.then(stepNamed('Link')).complete(),
        })
        .onFailure((f) => f.then(stepNamed('NotifyA')).then(stepNamed('NotifyB')))
        .finally(stepNamed('Confirm')),
  ],
  [
    'loop with a compensable body and a guard, last before finally',
    () =>
      Workflow.create<GraphState>('loopy')
        .startWith(stepNamed('Start'))
        .repeatUntil(
          (s) => s.done === true,
          'collect',
          (b) =>
            b.then(stepNamed('Request'), { compensate: stepNamed('Withdraw') }).validateState((s) => s.ok !== false, 'NOT_OK', 'not ok'),
          { maxIterations: 2 },
        )
        .finally(stepNamed('Confirm')),
  ],
  [
    'branch inside a loop with fail() and otherwise',
    () =>
      Workflow.create<GraphState>('nested')
        .startWith(stepNamed('Start'), { compensate: stepNamed('Unstart') })
        .repeatUntil(
          (s) => s.done === true,
          'outer',
          (b) =>
            b.branch((s) => s.kind ?? 'a', {
              a: (c) => c.then(stepNamed('A')),
              b: (c) => c.fail('B_REFUSED', 'b is refused'),
              otherwise: (c) => c.then(stepNamed('Other')),
            }),
          { maxIterations: 3 },
        )
        .onFailure(stepNamed('Notify'))
        .finally(stepNamed('Confirm')),
  ],
];

describe('deriveTransitions on graphs', () => {
  it.each(GRAPHS)('lists every phase change the engine makes, and no other (%s)', (_name, build) => {
    const definition = build();
    expect([...observed(definition)].sort()).toEqual([...tableEdges(definition)].sort());
  });
});
