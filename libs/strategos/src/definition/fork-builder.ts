import type { WorkflowState } from '../state/workflow-state.interface';
import type { StepClass } from '../step/workflow-step.interface';
import { assertStepClass, buildSubFlow } from './definition-validator';
import { DiagnosticCode } from './diagnostic-codes';
import { endsRun, type FlowConstruct } from './flow-construct';
import type { ThenOptions } from './then-options.interface';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** A fork waiting for its join: `fork(...)` must be followed by `join(Step)`. */
export interface ForkJoin<S extends WorkflowState, Self> {
  /**
   * The step that runs once, after every path finished, on the state at the fork merged with the paths'
   * patches (key by key, with the definition's reducers; default: replace in path order).
   */
  join(step: StepClass<S>, options?: ThenOptions<S>): Self;
}

/**
 * Builds the paths of a fork and returns the pending fork; `add` records the fork construct once `join` is given.
 * @throws WorkflowDefinitionError `STRAT027` when there are fewer than two paths, a path runs no step, ends the
 * run (`complete()`/`fail()` last, or `complete()` anywhere in it). A path may wait (`awaitSignal`, `awaitApproval`,
 * `sleep`): it parks alone while the other paths run; it may hold a fork of its own (joined inside the path).
 */
export function forkOf<S extends WorkflowState, F, Self>(
  workflow: string,
  paths: readonly unknown[],
  emptyFlow: (workflow: string) => F,
  add: (construct: FlowConstruct<S>) => Self,
): ForkJoin<S, Self> {
  if (paths.length < 2) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidForkPath,
      workflow,
      undefined,
      `fork() has ${paths.length} path(s); give at least two, e.g. fork((p) => p.then(A), (p) => p.then(B))`,
    );
  }
  const built = paths.map((path, index) => {
    const constructs = buildSubFlow<S, F>(workflow, DiagnosticCode.InvalidForkPath, `fork path ${index + 1}`, path, emptyFlow);
    const problem = !constructs.some((c) => ['step', 'branch', 'loop', 'wait', 'fork'].includes(c.kind))
      ? 'runs no step; add one with then()'
      : endsRun(constructs)
        ? 'ends the run with complete() or fail(); a path must reach the join'
        : containsComplete(constructs)
          ? 'ends the run with complete() in a branch case, loop body or wait sub-flow; a path must reach the join'
          : undefined;
    if (problem)
      throw new WorkflowDefinitionError(DiagnosticCode.InvalidForkPath, workflow, undefined, `fork path ${index + 1} ${problem}`);
    return constructs;
  });
  return {
    join: (step, options = {}) => {
      assertStepClass(workflow, step);
      return add({ kind: 'fork', paths: built, join: { stepClass: step, options } });
    },
  };
}

/** Whether a `complete()` sits anywhere in the flow (a path that completes the run would never reach its join). */
function containsComplete<S extends WorkflowState>(constructs: readonly FlowConstruct<S>[]): boolean {
  return constructs.some((c) => subFlows(c).some((flow) => flow.some((inner) => inner.kind === 'complete') || containsComplete(flow)));
}

function subFlows<S extends WorkflowState>(c: FlowConstruct<S>): readonly (readonly FlowConstruct<S>[])[] {
  if (c.kind === 'loop') return [c.body];
  if (c.kind === 'branch') return [...c.cases.map(([, flow]) => flow), ...(c.otherwise !== undefined ? [c.otherwise] : [])];
  if (c.kind === 'wait') return [c.onTimeout, c.onRejection].filter((flow) => flow !== undefined);
  return [];
}
