import { StepResult } from '../step/step-result';
import type { StatePatch, WorkflowState } from './workflow-state.interface';

/** The fluent With() builder returned by {@link evolve}. Keys and value types are checked by the compiler. */
export class StateEvolution<S extends WorkflowState> {
  constructor(
    private readonly base: Readonly<S>,
    private readonly patch: StatePatch<S> = {},
  ) {}

  /** Sets `key` to `value` in the update; returns a new builder (the original state is never touched). */
  with<K extends Exclude<keyof S, 'workflowId'>>(key: K, value: S[K]): StateEvolution<S> {
    return new StateEvolution<S>(this.base, { ...this.patch, [key]: value } as StatePatch<S>);
  }

  /** The accumulated update, as a patch. */
  toPatch(): StatePatch<S> {
    return { ...this.patch };
  }

  /** The state with the update applied (a new object). */
  toState(): S {
    return { ...this.base, ...this.patch } as S;
  }

  /** The update as a successful step result. */
  asResult(): StepResult<S> {
    return StepResult.ok<S>(this.toPatch());
  }
}

/**
 * Starts an immutable update of a workflow state.
 *
 * @example return evolve(state).with('payment', payment).with('status', OrderStatus.Paid).asResult();
 */
export function evolve<S extends WorkflowState>(state: Readonly<S>): StateEvolution<S> {
  return new StateEvolution<S>(state);
}
