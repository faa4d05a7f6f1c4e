import { forkedSaga } from './fixtures/scripted-workflow';
import { CommitThenCrash } from './support/commit-then-crash';
import { stepCompletionCounts } from './support/history-assertions';
import type { TestApp } from './support/strategos-test-app';

const RUNS = 4;

/**
 * A step command delivered again after its transition committed, before the commands that transition issued were
 * published (they have no outbox row). Reserve's transition issues the fork's two path commands; the worker that
 * committed it loses its broker connection before publishing them and dies. The broker redelivers Reserve's command
 * to another worker, which finds it applied and publishes both path commands again (same ids, re-derived from the
 * instance), then acknowledges it: every step runs once, every transition is applied once.
 */
describe('a step command redelivered after its transition committed, before its output was published', () => {
  let scenario: CommitThenCrash;
  let api: TestApp;

  beforeAll(async () => {
    scenario = await CommitThenCrash.start(forkedSaga);
    api = scenario.api;
  });

  afterAll(() => scenario.close());

  it('republishes the fork commands it issued; the next steps run once', async () => {
    await scenario.startWorkers(
      ['forked-saga.Reserve'],
      ['forked-saga.PathA', 'forked-saga.PathB', 'forked-saga.Join', 'forked-saga.Confirm'],
    );
    const ids = await scenario.startRuns(RUNS, { Reserve: { sleepMs: 1_500 } });
    // Reserve commits (the database is direct); the broker connection is stalled, so nothing it issues is published.
    await scenario.stallWhileRunning(ids, 'Reserve', ['forked-saga.Reserve']);
    for (const id of ids) expect((await api.query.get(id))?.phase).toMatch(/^Fork/);
    await scenario.kill();

    const views = await Promise.all(ids.map((id) => api.query.waitFor(id, { timeoutMs: 30_000 })));
    expect(views.map((view) => view.status)).toEqual(ids.map(() => 'completed'));
    for (const id of ids) {
      expect(await stepCompletionCounts(api.query, id)).toEqual({ Reserve: 1, PathA: 1, PathB: 1, Join: 1, Confirm: 1 });
      // Each transition applied once: one event per sequence number, one phase change per step entered.
      const history = await api.query.history(id);
      expect(new Set(history.map((event) => event.sequence)).size).toBe(history.length);
      const entered = history.filter((event) => event.kind === 'PhaseChanged').map((event) => String(event.data.to));
      expect(entered.filter((phase) => phase === 'PathA' || phase === 'PathB').sort()).toEqual(['PathA', 'PathB']);
    }
  });
});
