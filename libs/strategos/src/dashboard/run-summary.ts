import type { RecordedError, WorkflowStatus } from '../engine/workflow-instance';

/** A run as the dashboard's list shows it. Timestamps are ISO-8601. */
export interface RunSummary {
  readonly workflowId: string;
  readonly workflow: string;
  readonly phase: string;
  readonly status: WorkflowStatus;
  readonly version: number;
  readonly error: RecordedError | null;
  readonly cancelReason: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}

/** One page of the run list, newest first; `nextCursor` is absent on the last page. */
export interface RunSummaryPage {
  readonly items: RunSummary[];
  readonly nextCursor?: string;
}
