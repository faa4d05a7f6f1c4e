/** Options of {@link WorkflowQuery} (tuning of `estimatedCompletionAt`). */
export interface WorkflowQueryOptions {
  /**
   * How many of a workflow's most recently completed runs its step-duration medians are taken from.
   * @default 50
   */
  readonly estimateSampleRuns?: number;
  /**
   * How long a workflow's step-duration medians are reused before the store is read again, in ms.
   * @default 5000
   */
  readonly estimateCacheMs?: number;
}
