import type { WorkflowEventKind } from '../engine/workflow-event';
import { activePositions, type RecordedError, type WorkflowInstance, type WorkflowStatus } from '../engine/workflow-instance';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { StalledRun } from './stall-detector';

/** Where a running instance is: one entry per active position (one today; parallel paths will have several). */
export interface ActivePositionView {
  /** `main` (parallel paths will name theirs). */
  readonly path: string;
  /** The step whose command the run waits for, or the wait it is parked at (`AwaitSignal(manager-approval)`, `Sleep(60000ms)`). */
  readonly step: string;
  /** When the run entered the step (its first attempt was issued) or the wait. */
  readonly since: Date;
  /** The step's attempt (absent at a wait). */
  readonly attempt?: number;
  /** At a wait: the signal it waits for, or `timer` for a sleep. */
  readonly waitingFor?: string;
  /** At a wait with a timer (a sleep, a signal's timeout): when it is due. */
  readonly wakesAt?: Date;
  /** Inside a `repeatUntil` loop: the innermost loop's name and its pass (1 for the first). */
  readonly loop?: string;
  readonly iteration?: number;
}

/** A workflow instance as callers see it (`WorkflowQuery.get`). */
export interface WorkflowView<S extends WorkflowState = WorkflowState> {
  readonly workflowId: string;
  readonly workflow: string;
  /** `NotStarted`, a step name, `Completed`, `Compensating`, `Compensated`, `Failed` or `Cancelled`. */
  readonly phase: string;
  /** The active positions of a running instance (with the loop pass inside a loop); empty once it ended. */
  readonly active: readonly ActivePositionView[];
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
    active: activePositions(instance).map((position) => {
      const innermost = position.iterations?.[position.iterations.length - 1];
      return {
        path: position.path ?? 'main',
        step: position.step,
        since: new Date(position.since ?? instance.updatedAt),
        ...(position.wait
          ? {
              waitingFor: position.wait.signal ?? 'timer',
              ...(position.wait.wakesAt ? { wakesAt: new Date(position.wait.wakesAt) } : {}),
            }
          : { attempt: position.attempt }),
        ...(innermost ? { loop: innermost.loop, iteration: innermost.iteration } : {}),
      };
    }),
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
