import { WorkflowEventKind } from '@strategos/nestjs';
import { processOrderContracts } from '../process-order.contracts';

/**
 * The event kinds that move an order's phase or status. `StepCompleted`, `StepFailed` and `CancelRequested`
 * change neither, so the read model's queue is not bound to them.
 */
export const ORDER_STATUS_EVENT_KINDS = [
  WorkflowEventKind.Started,
  WorkflowEventKind.PhaseChanged,
  WorkflowEventKind.Compensating,
  WorkflowEventKind.Compensated,
  WorkflowEventKind.Retried,
  WorkflowEventKind.Completed,
  WorkflowEventKind.Failed,
  WorkflowEventKind.Cancelled,
] as const;

/** The routing keys the read model subscribes to: `process-order.Started`, `process-order.PhaseChanged`, … */
export const ORDER_STATUS_EVENT_PATTERNS: readonly string[] = ORDER_STATUS_EVENT_KINDS.map(
  (kind) => processOrderContracts.events[kind].pattern,
);

/** The read model's durable queue on the events exchange of `namespace`: `<namespace>.order-status-read-model`. */
export function orderStatusReadModelQueue(namespace: string): string {
  return `${namespace}.order-status-read-model`;
}
