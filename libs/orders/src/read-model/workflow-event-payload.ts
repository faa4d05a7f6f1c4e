import { WorkflowEventKind, type JsonObject, type WorkflowEvent } from '@strategos/nestjs';

const KINDS: ReadonlySet<string> = new Set(Object.values(WorkflowEventKind));

/**
 * The workflow event in an `@EventPattern` payload, or `undefined` when the payload is not one: it comes off
 * the bus, so its shape is checked before anything is written from it.
 */
export function parseWorkflowEvent(payload: unknown): WorkflowEvent | undefined {
  if (!isObject(payload)) return undefined;
  const { eventId, type, kind, workflowId, workflowName, sequence, timestamp, data } = payload;
  if (typeof eventId !== 'string' || typeof type !== 'string' || typeof workflowName !== 'string') return undefined;
  if (typeof workflowId !== 'string' || workflowId.length === 0) return undefined;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) return undefined;
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) return undefined;
  if (!isObject(data)) return undefined;
  return { eventId, type, kind: kind as WorkflowEventKind, workflowId, workflowName, sequence, timestamp, data: data as JsonObject };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
