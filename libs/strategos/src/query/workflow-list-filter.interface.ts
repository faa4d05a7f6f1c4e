import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WorkflowStatus } from '../engine/workflow-instance';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { WorkflowView } from './workflow-view';

/** Filters and paging of `WorkflowQuery.list`, which orders views by `startedAt`, then `workflowId`. */
export interface WorkflowListFilter<S extends WorkflowState = WorkflowState> {
  /** Only instances of this workflow (its name or its definition). */
  readonly workflow?: string | WorkflowDefinition<S>;
  /** Only instances with this status, or with any of these; `waiting`: running instances parked at a wait (signal, approval, sleep), or with a fork path parked at one. */
  readonly status?: WorkflowStatus | 'waiting' | readonly (WorkflowStatus | 'waiting')[];
  /** Only instances in this phase (a step name, `Completed`, `Compensating`, …). */
  readonly phase?: string;
  /** Only instances started at or after this time (inclusive). */
  readonly startedAfter?: Date;
  /**
   * Only instances started before this time (exclusive): with `startedAfter`, a half-open interval, so
   * that consecutive windows neither overlap nor leave gaps.
   */
  readonly startedBefore?: Date;
  /**
   * Views per page, 1 to 500.
   * @default 50
   */
  readonly limit?: number;
  /** The `nextCursor` of the previous page, with the same filters; absent for the first page. */
  readonly cursor?: string;
}

/** One page of `WorkflowQuery.list`. */
export interface WorkflowPage<S extends WorkflowState = WorkflowState> {
  readonly items: WorkflowView<S>[];
  /** Pass it as `cursor` to get the next page; absent on the last page. Opaque. */
  readonly nextCursor?: string;
}
