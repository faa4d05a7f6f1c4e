import type { WorkflowInstance, WorkflowStatus } from '../engine/workflow-instance';

/** A place in the listing order (`startedAt`, then `workflowId`): a page starts after it. */
export interface InstancePosition {
  /** ISO-8601. */
  readonly startedAt: string;
  readonly workflowId: string;
}

/**
 * A validated request for a page of instances, as stores receive it (`WorkflowQuery.list` builds it).
 * Instances are ordered by `startedAt`, then `workflowId` (compared as code points, like `COLLATE "C"`).
 */
export interface InstanceListQuery {
  readonly workflowName?: string;
  /** Any of these statuses; an empty list matches nothing. */
  readonly statuses?: readonly WorkflowStatus[];
  /** Also (or, with no `statuses`, only) running instances parked at a wait, on the main flow or on a fork path. */
  readonly waiting?: boolean;
  readonly phase?: string;
  /** Inclusive lower bound of `startedAt`, ISO-8601. */
  readonly startedAfter?: string;
  /** Exclusive upper bound of `startedAt`, ISO-8601. */
  readonly startedBefore?: string;
  /** Only instances after this position (the previous page's last one). */
  readonly after?: InstancePosition;
  /** Instances per page, at least 1. */
  readonly limit: number;
}

/** One page of instances and where the next one starts (null on the last page). */
export interface InstancePage {
  readonly instances: WorkflowInstance[];
  readonly next: InstancePosition | null;
}
