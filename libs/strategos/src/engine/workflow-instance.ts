import type { StepRole } from '../definition/workflow-definition';
import type { JsonObject } from '../state/workflow-state.interface';

/** Where a workflow instance stands overall. */
export type WorkflowStatus = 'running' | 'completed' | 'failed' | 'compensated' | 'cancelled';

/** The statuses an instance never leaves by itself. */
export const TERMINAL_STATUSES: ReadonlySet<WorkflowStatus> = new Set(['completed', 'failed', 'compensated', 'cancelled']);

/** The step command an instance currently waits for. Only a command with this id may move it on. */
export interface StepCursor {
  readonly step: string;
  readonly role: StepRole;
  readonly attempt: number;
  readonly commandId: string;
  /**
   * When a worker started running this command's step (recorded by the worker before it runs the step);
   * absent while the step has not started, so that a cancel can take effect at once.
   */
  readonly startedAt?: string;
}

/** A failure recorded on an instance. */
export interface RecordedError {
  readonly code: string;
  readonly message: string;
  readonly step: string;
  readonly details?: JsonObject;
}

/** The stored record of one workflow run: what the engine reads and writes. Timestamps are ISO-8601. */
export interface WorkflowInstance {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly state: JsonObject;
  readonly phase: string;
  readonly status: WorkflowStatus;
  /** Incremented by every transition; stores guard writes with it (optimistic concurrency). */
  readonly version: number;
  /** Sequence number of the last event recorded. */
  readonly sequence: number;
  readonly cursor: StepCursor | null;
  /** Forward steps that completed, in order (what compensation undoes). */
  readonly completedSteps: readonly string[];
  readonly error: RecordedError | null;
  readonly compensationError: RecordedError | null;
  readonly cancelReason: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}
