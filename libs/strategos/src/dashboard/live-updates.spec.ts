import { firstValueFrom, take, toArray } from 'rxjs';
import { LiveUpdates, MAX_RUNS_PER_BATCH } from './live-updates';
import type { RunSummary } from './run-summary';

const summary = (workflowId: string): RunSummary => ({
  workflowId,
  workflow: 'w',
  phase: 'A',
  status: 'running',
  version: 1,
  error: null,
  cancelReason: null,
  startedAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  completedAt: null,
});

describe('LiveUpdates', () => {
  it('sends the changes of an interval as one batch per listener, with one read, however many events came', async () => {
    const reads: (readonly string[])[] = [];
    const live = new LiveUpdates(50, async (ids) => (reads.push(ids), ids.map(summary)));
    const first = firstValueFrom(live.stream().pipe(take(1), toArray()));
    const second = firstValueFrom(live.stream().pipe(take(1)));
    // 2,000 events for 200 runs (ten steps each) within one interval.
    for (let event = 0; event < 2_000; event++) live.accept({ workflowId: `run-${event % 200}`, workflow: 'w', kind: 'PhaseChanged' });
    const [batches, other] = await Promise.all([first, second]);
    expect(batches).toHaveLength(1);
    expect(batches[0].runs).toHaveLength(200);
    expect(batches[0].overflow).toBe(false);
    expect(other.runs).toHaveLength(200);
    expect(reads).toHaveLength(1);
    live.close();
  });

  it('says overflow past the batch limit, so that pages read their list again', async () => {
    const live = new LiveUpdates(50, async (ids) => ids.map(summary));
    const batch = firstValueFrom(live.stream());
    for (let run = 0; run <= MAX_RUNS_PER_BATCH; run++) live.accept({ workflowId: `run-${run}`, workflow: 'w', kind: 'Started' });
    expect(await batch).toMatchObject({ overflow: true });
    expect((await batch).runs).toHaveLength(MAX_RUNS_PER_BATCH);
    live.close();
  });

  it('remembers the trace id of each run from its traceparent', () => {
    const live = new LiveUpdates(50, async () => []);
    live.accept({
      workflowId: 'r',
      workflow: 'w',
      kind: 'Started',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(live.traceId('r')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(live.traceId('other')).toBeUndefined();
    live.close();
  });
});
