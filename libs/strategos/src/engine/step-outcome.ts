import type { JsonObject } from '../state/workflow-state.interface';
import type { WorkflowError } from '../step/workflow-error';

/** What came of running one attempt of a step, as the engine sees it. */
export type StepOutcome =
  /** The step returned `StepResult.ok`. */
  | { readonly kind: 'succeeded'; readonly patch: JsonObject }
  /** The step returned `StepResult.fail`: a business failure, never retried. */
  | { readonly kind: 'failed'; readonly error: WorkflowError }
  /** The step threw or timed out: a technical failure, retried by policy. */
  | { readonly kind: 'errored'; readonly message: string; readonly timedOut: boolean }
  /** The step was not run because the workflow was cancelled before it started. */
  | { readonly kind: 'skipped' };
