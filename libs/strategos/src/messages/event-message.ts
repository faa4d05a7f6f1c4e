import type { WorkflowEvent } from '../engine/workflow-event';
import { isValidTraceparent } from '../tracing/trace-context';
import type { OutgoingMessage } from '../transport/transport.interface';
import { StrategosHeader } from './outbox-message';
import { eventRoutingKey } from './topology';

/**
 * The message of a workflow event on the events exchange, as `toOutboxRows` writes it for an outbox-backed store:
 * routing key `<workflow>.<Kind>`, message id the event id, type the event type, the documented headers (with the
 * transition's trace context when it is valid W3C trace context), and a Nest packet `{ pattern, data: event }` as
 * body, so that `@EventPattern` handlers receive the event.
 */
export function eventMessage(eventsExchange: string, event: WorkflowEvent, traceparent: string | null | undefined): OutgoingMessage {
  const pattern = eventRoutingKey(event.workflowName, event.kind);
  return {
    exchange: eventsExchange,
    routingKey: pattern,
    messageId: event.eventId,
    type: event.type,
    headers: {
      [StrategosHeader.WorkflowId]: event.workflowId,
      [StrategosHeader.Workflow]: event.workflowName,
      [StrategosHeader.Sequence]: event.sequence,
      ...(isValidTraceparent(traceparent) ? { [StrategosHeader.TraceParent]: traceparent } : {}),
    },
    body: JSON.stringify({ pattern, data: event }),
  };
}
