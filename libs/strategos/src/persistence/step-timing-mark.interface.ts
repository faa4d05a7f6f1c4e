/**
 * The two events that time a step, reduced to what the timing needs: a `PhaseChanged` (its `to` step
 * starts) or a `StepCompleted` (its `step` ends).
 */
export interface StepTimingMark {
  readonly kind: 'PhaseChanged' | 'StepCompleted';
  readonly step: string;
  /** Epoch milliseconds. */
  readonly at: number;
}
