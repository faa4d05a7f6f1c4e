import type { WorkflowState } from '../state/workflow-state.interface';
import type { RetryPolicy } from '../step/retry-policy';
import type { StepClass } from '../step/workflow-step.interface';

/** Options of a step's place in a workflow; they override `@Step()`'s. */
export interface ThenOptions<S extends WorkflowState> {
  /** The step that undoes this one when a later step fails or the workflow is cancelled. */
  readonly compensate?: StepClass<S>;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /**
   * The step's name in this workflow, when one class runs at several places: each name is its own step
   * (own queue, phase, events and `Execute<Name>Command`).
   * @default the `@Step({ name })`, else the class name
   */
  readonly name?: string;
}
