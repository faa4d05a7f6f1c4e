import { randomUUID } from 'node:crypto';
import type { HistoryEntry } from '@strategos/nestjs';
import { forkedSaga, SCRIPTED_PROVIDERS, ScriptSwitches, type ScriptedState } from './fixtures/scripted-workflow';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

function trail(history: HistoryEntry[]): string[] {
  return history.map((e) =>
    e.kind === 'PhaseChanged'
      ? `→${String(e.data.to)}`
      : e.kind === 'StepCompleted'
        ? `${String(e.data.step)}✓`
        : e.kind === 'StepFailed'
          ? `${String(e.data.step)}✗`
          : e.kind,
  );
}

describe('fork/join on RabbitMQ and PostgreSQL', () => {
  describe('many runs whose paths finish at the same moment on two worker processes', () => {
    let environment: TestEnvironment;
    let api: TestApp;
    let workers: RunningProcess[];

    beforeAll(async () => {
      environment = await createTestEnvironment();
      api = await startTestApp(environment, [forkedSaga], [], { steps: [] });
      workers = [0, 1].map(() =>
        startProcess('libs/strategos/test/fixtures/test-worker.main.js', { ...environment.env, LOG_STEP_STARTS: '1', PREFETCH: '16' }),
      );
      await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready', 60_000)));
    }, 90_000);

    afterAll(async () => {
      await Promise.all((workers ?? []).map((worker) => worker.stop()));
      await api?.close();
      await environment?.cleanup([forkedSaga]);
    }, 60_000);

    it('joins every run exactly once with both paths results, then runs finally', async () => {
      const runs = 60;
      // Both paths sleep the same time: they finish together, often on different workers, and race to commit.
      const script = { PathA: { sleepMs: 30 }, PathB: { sleepMs: 30 } };
      const ids = await Promise.all(
        Array.from({ length: runs }, async () => (await api.starter.start(forkedSaga, { workflowId: randomUUID(), script })).workflowId),
      );
      const views = await Promise.all(ids.map((id) => api.query.waitFor(id, { timeoutMs: 120_000 })));
      for (const view of views) {
        expect(view.status).toBe('completed');
        // No lost path result: the merge reducer keeps both paths' entries.
        expect(Object.keys((view.state as ScriptedState).results ?? {}).sort()).toEqual(['Confirm', 'Join', 'PathA', 'PathB', 'Reserve']);
      }
      for (const id of ids) {
        const steps = trail(await api.query.history(id));
        // No doubled path result and one join.
        for (const step of ['PathA✓', 'PathB✓', 'Join✓', '→Join', 'Confirm✓']) expect(steps.filter((s) => s === step)).toHaveLength(1);
        expect(steps.indexOf('→Join')).toBeGreaterThan(Math.max(steps.indexOf('PathA✓'), steps.indexOf('PathB✓')));
      }
      // The join step itself ran once per run, over both processes.
      const output = workers.flatMap((worker) => worker.output);
      for (const id of ids) expect(output.filter((line) => line.includes(`step-started ${id}/Join#`))).toHaveLength(1);
      // The two paths of many runs ran on different workers at the same time (what makes their commits race).
      const split = ids.filter((id) => {
        const ranA = workers.map((worker) => worker.output.some((line) => line.includes(`step-started ${id}/PathA#`)));
        const ranB = workers.map((worker) => worker.output.some((line) => line.includes(`step-started ${id}/PathB#`)));
        return ranA.some((ran, index) => ran && !ranB[index]);
      });
      expect(split.length).toBeGreaterThan(0);
    }, 180_000);
  });

  describe('a failing path', () => {
    let environment: TestEnvironment;
    let app: TestApp;

    beforeAll(async () => {
      environment = await createTestEnvironment();
      app = await startTestApp(environment, [forkedSaga], [...SCRIPTED_PROVIDERS], { outbox: { relayIntervalMs: 50 } });
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await environment?.cleanup([forkedSaga]);
    }, 60_000);

    it('lets the in-flight path finish and be recorded, compensates every path and the main flow in reverse order, then onFailure', async () => {
      // PathB fails a second after it starts, while PathA (started meanwhile) is still running.
      const script = { PathA: { sleepMs: 4_000 }, PathB: { sleepMs: 1_000, failCode: 'PATH_B_REFUSED' } };
      const { workflowId } = await app.starter.start(forkedSaga, { workflowId: randomUUID(), script });
      const view = await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
      expect(view).toMatchObject({ status: 'compensated', error: { code: 'PATH_B_REFUSED', step: 'PathB', path: 'fork#1.2' } });
      const steps = trail(await app.query.history(workflowId));
      expect(steps.indexOf('PathB✗')).toBeLessThan(steps.indexOf('PathA✓'));
      expect(steps.slice(steps.indexOf('PathA✓'))).toEqual([
        'PathA✓',
        'Compensating',
        '→UndoA',
        'UndoA✓',
        '→Unreserve',
        'Unreserve✓',
        'Compensated',
        '→Notify',
        'Notify✓',
        'Failed',
      ]);
      expect(steps).not.toContain('→Join');
    }, 90_000);

    it('cancels inside a fork: the in-flight path steps finish and are recorded, then every completed step is compensated', async () => {
      const switches = app.app.get(ScriptSwitches);
      const script = { PathA: { sleepMs: 1_500 }, PathB: { sleepMs: 1_500 } };
      const { workflowId } = await app.starter.start(forkedSaga, { workflowId: randomUUID(), script });
      await Promise.all([switches.whenStarted(workflowId, 'PathA'), switches.whenStarted(workflowId, 'PathB')]);
      await app.control.cancel(workflowId, 'customer withdrew');
      const view = await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
      expect(view).toMatchObject({ status: 'cancelled', cancelReason: 'customer withdrew' });
      const steps = trail(await app.query.history(workflowId));
      expect(steps.filter((s) => s === 'PathA✓' || s === 'PathB✓').sort()).toEqual(['PathA✓', 'PathB✓']);
      expect(steps.indexOf('CancelRequested')).toBeLessThan(steps.indexOf('Compensating'));
      expect(steps.slice(steps.indexOf('Compensating'))).toEqual([
        'Compensating',
        '→UndoA',
        'UndoA✓',
        '→Unreserve',
        'Unreserve✓',
        'Compensated',
        'Cancelled',
      ]);
      expect(steps).not.toContain('→Join');
    }, 90_000);

    it('shows every running path in view.active and the fork in view.phase', async () => {
      const script = { PathA: { sleepMs: 2_000 }, PathB: { sleepMs: 2_000 } };
      const { workflowId } = await app.starter.start(forkedSaga, { workflowId: randomUUID(), script });
      let view = await app.query.get(workflowId);
      for (let i = 0; i < 500 && !view?.phase.startsWith('Fork('); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        view = await app.query.get(workflowId);
      }
      expect(view?.phase).toBe('Fork(PathA, PathB)');
      expect(view?.active.map((a) => [a.path, a.step])).toEqual([
        ['fork#1.1', 'PathA'],
        ['fork#1.2', 'PathB'],
      ]);
      expect((await app.query.waitFor(workflowId, { timeoutMs: 60_000 })).status).toBe('completed');
    }, 90_000);
  });
});
