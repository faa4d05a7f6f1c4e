import type { WorkflowState } from '../state/workflow-state.interface';
import type { StepContext } from './step-context.interface';
import type { StepResult } from './step-result';

/** One business step of a workflow: an injectable class with an `execute` method. */
export interface WorkflowStep<S extends WorkflowState> {
  /**
   * Runs the step on a deep-frozen state and returns an update or a business failure.
   * A thrown error or a timeout is a technical failure, retried by the step's retry policy.
   * (A property rather than a method so that the compiler checks the state type strictly.)
   */
  readonly execute: (state: Readonly<S>, context: StepContext, signal: AbortSignal) => Promise<StepResult<S>> | StepResult<S>;
}

/** A step class: what the DSL and `@Step()` accept. */
export type StepClass<S extends WorkflowState = WorkflowState> = abstract new (...args: never[]) => WorkflowStep<S>;
