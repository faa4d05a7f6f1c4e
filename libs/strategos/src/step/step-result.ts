import type { StatePatch, WorkflowState } from '../state/workflow-state.interface';
import type { WorkflowError } from './workflow-error';

/** A step succeeded; its patch is merged into the state. */
export interface StepSucceeded<S extends WorkflowState> {
  readonly kind: 'ok';
  readonly patch: StatePatch<S>;
}

/** A step reported a business failure: not retried, the workflow takes its failure path. */
export interface StepFailed {
  readonly kind: 'fail';
  readonly error: WorkflowError;
}

/** What a step returns. */
export type StepResult<S extends WorkflowState> = StepSucceeded<S> | StepFailed;

/** Creates {@link StepResult}s. */
export const StepResult = {
  /** Success with a partial update (`Partial<Omit<S, 'workflowId'>>`) merged into the state. */
  ok<S extends WorkflowState>(patch: StatePatch<S> = {}): StepResult<S> {
    return { kind: 'ok', patch };
  },
  /** An explicit business failure: not retried; compensation and `onFailure` follow. */
  fail<S extends WorkflowState = WorkflowState>(error: WorkflowError): StepResult<S> {
    return { kind: 'fail', error };
  },
} as const;
