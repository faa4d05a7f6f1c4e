import type { WorkflowStatus } from '@strategos/nestjs';

/** The body of `GET /orders/:id/status`: the order's row in the status read model, with the ETA of a running one. */
export interface OrderStatusResponse {
  readonly workflowId: string;
  /** Null only while the run's `Started` event has not reached the read model (out-of-order delivery). */
  readonly orderId: string | null;
  readonly phase: string;
  readonly status: WorkflowStatus;
  /** From `WorkflowQuery.get`: when the run is expected to finish; absent when no estimate exists. */
  readonly estimatedCompletionAt?: Date;
}
