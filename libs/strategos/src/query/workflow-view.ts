import type { WorkflowEventKind } from '../engine/workflow-event';
import type { RecordedError, WorkflowInstance, WorkflowStatus } from '../engine/workflow-instance';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { StalledRun } from './stall-detector';

/** A workflow instance as callers see it (`WorkflowQuery.get`). */
export interface WorkflowView<S extends WorkflowState = WorkflowState> {
  readonly workflowId: string;
  readonly workflow: string;
  /** `NotStarted`, a step name, `Completed`, `Compensating`, `Compensated`, `Failed` or `Cancelled`. */
  readonly phase: string;
  readonly status: WorkflowStatus;
  readonly state: S;
  readonly error?: RecordedError;
  /** Set when a compensation failed after the original error. */
  readonly compensationError?: RecordedError;
  readonly cancelReason?: string;
  readonly version: number;
  readonly startedAt: Date;
  readonly updatedAt: Date;
  readonly completedAt?: Date;
  /**
   * When a running instance should complete, from the median durations of its remaining steps in recent
   * completed runs (less the time already spent in the current step). Absent when it is not running on
   * its forward path, or when some remaining step has never been measured.
   */
  readonly estimatedCompletionAt?: Date;
  /**
   * Set when the running instance cannot move: no transition for longer than the threshold (forRoot
   * `stalledAfterMs`) and no consumer on its step's queue. A stalled run has no `estimatedCompletionAt`.
   */
  readonly stalled?: StalledRun;
}

/** One entry of the audit trail (`WorkflowQuery.history`). */
export interface HistoryEntry {
  /** e.g. `ProcessOrderPhaseChanged`. */
  readonly type: string;
  readonly kind: WorkflowEventKind;
  readonly sequence: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly timestamp: Date;
}

/** Maps a stored instance to its view. */
export function toWorkflowView<S extends WorkflowState>(
  instance: WorkflowInstance,
  estimatedCompletionAt?: Date,
  stalled?: StalledRun,
): WorkflowView<S> {
  return {
    workflowId: instance.workflowId,
    workflow: instance.workflowName,
    phase: instance.phase,
    status: instance.status,
    state: instance.state as unknown as S,
    ...(instance.error ? { error: instance.error } : {}),
    ...(instance.compensationError ? { compensationError: instance.compensationError } : {}),
    ...(instance.cancelReason !== null ? { cancelReason: instance.cancelReason } : {}),
    version: instance.version,
    startedAt: new Date(instance.startedAt),
    updatedAt: new Date(instance.updatedAt),
    ...(instance.completedAt ? { completedAt: new Date(instance.completedAt) } : {}),
    ...(estimatedCompletionAt && !stalled ? { estimatedCompletionAt } : {}),
    ...(stalled ? { stalled } : {}),
  };
}
