import { WorkflowEventKind } from '../engine/workflow-event';
import type { HistoryEntry } from '../query/workflow-view';
import { runTraceId } from './run-trace-id';

const started = (data: Record<string, unknown>): HistoryEntry => ({
  type: 'ProcessOrderStarted',
  kind: WorkflowEventKind.Started,
  sequence: 1,
  data,
  timestamp: new Date(),
});

describe('runTraceId', () => {
  it("reads the trace id from the traceparent of the run's Started event", () => {
    const history = [started({ state: {}, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })];
    expect(runTraceId(history, 'ffffffffffffffffffffffffffffffff')).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('falls back to the trace seen on the bus, then to null', () => {
    expect(runTraceId([started({ state: {} })], 'abc')).toBe('abc');
    expect(runTraceId([started({ state: {}, traceparent: 'junk' })], undefined)).toBeNull();
    expect(runTraceId([], undefined)).toBeNull();
  });
});
