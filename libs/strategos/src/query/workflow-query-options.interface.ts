import type { StallDetectionOptions } from './stall-detector';

/** Options of {@link WorkflowQuery} (tuning of `estimatedCompletionAt`, stalled-run detection). */
export interface WorkflowQueryOptions {
  /**
   * Where to ask whether a step's queue has consumers: a running instance that has stood still longer than
   * `afterMs` on a step whose queue has none is reported `stalled`. Without it nothing is reported stalled.
   */
  readonly stalled?: StallDetectionOptions;
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
