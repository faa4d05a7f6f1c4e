import type { HistoryEntry } from '../query/workflow-view';

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The run's trace id, from the W3C `traceparent` its `Started` event recorded (any run, however old), or else
 * `seen` (the one of its events on the bus, for runs started before their start was recorded with it).
 */
export function runTraceId(history: readonly HistoryEntry[], seen: string | undefined): string | null {
  const started = history.find((entry) => entry.kind === 'Started');
  const match = typeof started?.data.traceparent === 'string' ? TRACEPARENT.exec(started.data.traceparent) : null;
  return match?.[1] ?? seen ?? null;
}
