import { Phase, WorkflowEventKind, type JsonObject, type JsonValue, type WorkflowEvent, type WorkflowStatus } from '@strategos/nestjs';
import { processOrder } from '../process-order.workflow';
import type { OrderStatusRecord } from './order-status-record';

/**
 * What one `process-order` event says about where the order stands, or null for an event that moves neither
 * its phase nor its status (`StepCompleted`, `StepFailed`, `CancelRequested`) or that belongs to another workflow.
 * Pure: applying the result is the repository's business, guarded by `sequence`.
 *
 * `Compensated` is not terminal: `SendFailureNotification` runs after it, and the run ends with `Failed`
 * (`status: 'compensated'`) or `Cancelled`.
 */
export function projectOrderStatus(event: WorkflowEvent): OrderStatusRecord | null {
  if (event.workflowName !== processOrder.name) return null;
  const position = positionAfter(event);
  if (!position) return null;
  return {
    workflowId: event.workflowId,
    orderId: orderIdIn(event.data),
    phase: position.phase,
    status: position.status,
    lastSequence: event.sequence,
    updatedAt: new Date(event.timestamp),
  };
}

interface Position {
  readonly phase: string;
  readonly status: WorkflowStatus;
}

/** The phase and status of the instance right after the event (mirrors the transition engine). */
function positionAfter({ kind, data }: WorkflowEvent): Position | null {
  switch (kind) {
    case WorkflowEventKind.Started:
      return { phase: Phase.NotStarted, status: 'running' };
    case WorkflowEventKind.PhaseChanged:
      if (typeof data.to !== 'string') return null;
      // A fork path's first step: the run is in the fork, whose phase names every path's step.
      return { phase: typeof data.path === 'string' ? forkPhase(data.to) : data.to, status: 'running' };
    case WorkflowEventKind.Retried:
      // The PhaseChanged of the same transition (next sequence) says the same.
      return typeof data.step === 'string' ? { phase: data.step, status: 'running' } : null;
    case WorkflowEventKind.Compensating:
      return { phase: Phase.Compensating, status: 'running' };
    case WorkflowEventKind.Compensated:
      return { phase: Phase.Compensated, status: 'running' };
    case WorkflowEventKind.Completed:
      return { phase: Phase.Completed, status: 'completed' };
    case WorkflowEventKind.Failed:
      return data.status === 'compensated'
        ? { phase: Phase.Compensated, status: 'compensated' }
        : { phase: Phase.Failed, status: 'failed' };
    case WorkflowEventKind.Cancelled:
      return { phase: Phase.Cancelled, status: 'cancelled' };
    default:
      return null;
  }
}

/**
 * The phase of a run that has just entered the fork one of whose paths starts with `step`, as the engine names it:
 * `Fork(ProcessPayment, ReserveInventory)`. (The engine's phase then narrows as paths finish, which no event says;
 * the read model keeps the fork's full name until the join's step starts.)
 */
function forkPhase(step: string): string {
  for (const node of processOrder.graph.nodes.values()) {
    if (node.kind === 'fork' && node.paths.includes(step)) return `Fork(${node.paths.join(', ')})`;
  }
  return step;
}

/** `data.state.order.orderId`: carried by `Started` and `Completed`. */
function orderIdIn(data: JsonObject): string | null {
  const order = field(field(data, 'state'), 'order');
  const orderId = field(order, 'orderId');
  return typeof orderId === 'string' ? orderId : null;
}

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
}
