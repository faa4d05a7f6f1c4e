import type { WorkflowStatus } from '../engine/workflow-instance';

/** A validated request for a page of the dashboard's run list (newest first). */
export interface DashboardRunsQuery {
  readonly workflow?: string;
  readonly statuses?: readonly WorkflowStatus[];
  readonly phase?: string;
  /** Inclusive lower bound of `startedAt`, ISO-8601. */
  readonly startedAfter?: string;
  /** Exclusive upper bound of `startedAt`, ISO-8601. */
  readonly startedBefore?: string;
  /** Only runs whose id starts with this. */
  readonly idPrefix?: string;
  /** Only runs before this position in the newest-first order (the previous page's last run). */
  readonly before?: { readonly startedAt: string; readonly workflowId: string };
  readonly limit: number;
}
