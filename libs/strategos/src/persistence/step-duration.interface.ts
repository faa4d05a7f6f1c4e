/**
 * How long one step of a workflow took in recent completed runs: from the `PhaseChanged` that started it
 * to its `StepCompleted`, retries and back-off included.
 */
export interface StepDuration {
  readonly step: string;
  /** The median of the samples, in milliseconds. */
  readonly medianMs: number;
  /** How many completions were measured. */
  readonly samples: number;
}
