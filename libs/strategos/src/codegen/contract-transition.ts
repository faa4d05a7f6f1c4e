/**
 * What moves a workflow from one phase to the next, in a transitions table:
 * - `started`: the run was started;
 * - `succeeded`: the step returned `StepResult.ok`;
 * - `failed`: the step returned `StepResult.fail` (or an update that cannot be applied): a business failure;
 * - `exhausted`: the step threw or timed out on its last attempt (`STEP_EXHAUSTED`);
 * - `cancelled`: the step ended (ran, failed or was skipped) after a cancel was requested;
 * - `auto`: the engine moves on in the same transition (out of `Compensating` or `Compensated`);
 * - `retried`: the failed run was retried from the step that failed;
 * - `signal`: the signal a wait parks for arrived (for an approval: `approved` or `rejected`);
 * - `timeout`: a signal wait's timeout passed; `timer`: a sleep's timer fired.
 *
 * A step that throws with attempts left stays in its phase (its retry is no transition).
 */
export type TransitionOutcome =
  | 'started'
  | 'succeeded'
  | 'failed'
  | 'exhausted'
  | 'cancelled'
  | 'auto'
  | 'retried'
  | 'signal'
  | 'approved'
  | 'rejected'
  | 'timeout'
  | 'timer';

/** The outcomes in the order tables list them. */
export const TRANSITION_OUTCOMES: readonly TransitionOutcome[] = [
  'started',
  'succeeded',
  'failed',
  'exhausted',
  'cancelled',
  'auto',
  'retried',
  'signal',
  'approved',
  'rejected',
  'timeout',
  'timer',
];

/**
 * One row of a workflow's transitions table: from a phase, on an outcome, to a phase. Where the same
 * phase and outcome lead to different phases, `when` says which applies:
 * - `<Step> completed` / `<Step> not completed`: whether the cancelled step finished before the cancel took effect;
 * - `undo <Step>`: `<Step>` is the latest completed step that has a compensation (its compensation runs first);
 * - `cancel requested` / `no cancel`: whether the failure path was taken for a cancel;
 * - `compensated` / `nothing compensated`: whether compensation ran before the onFailure step;
 * - `<Step> failed`: the step the run failed at, where a retry resumes;
 * - `another path failed`: a fork path's step finished after another path failed (it is recorded, then undone with
 *   the rest); `no other path step in flight`: a failure inside a fork skips compensation only when no other path's
 *   step can still complete.
 */
export interface ContractTransition {
  readonly from: string;
  readonly on: TransitionOutcome;
  readonly to: string;
  readonly when?: string;
}
