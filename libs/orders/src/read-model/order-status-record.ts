import type { WorkflowStatus } from '@strategos/nestjs';

/** One row of the order status read model: where a `process-order` run stands, as of its event `lastSequence`. */
export interface OrderStatusRecord {
  readonly workflowId: string;
  /** The order's id; null only while the run's `Started` event has not arrived yet (out-of-order delivery). */
  readonly orderId: string | null;
  /** `NotStarted`, a step name, `Completed`, `Compensating`, `Compensated`, `Failed` or `Cancelled`. */
  readonly phase: string;
  readonly status: WorkflowStatus;
  /** The `sequence` of the newest event applied: an event with a sequence not above it changes nothing. */
  readonly lastSequence: number;
  /** When that event happened (its timestamp). */
  readonly updatedAt: Date;
}
