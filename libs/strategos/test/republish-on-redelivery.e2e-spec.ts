import { randomUUID } from 'node:crypto';
import { forkedSaga } from './fixtures/scripted-workflow';
import { FreezableProxy } from './support/freezable-proxy';
import { stepCompletionCounts } from './support/history-assertions';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const WORKER = 'libs/strategos/test/fixtures/test-worker.main.js';
const RUNS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A step command delivered again after its transition committed, before the commands that transition issued were
 * published (they have no outbox row). Reserve's transition issues the fork's two path commands; the worker that
 * committed it loses its broker connection before publishing them and dies. The broker redelivers Reserve's command
 * to another worker, which finds it applied and publishes both path commands again (same ids, re-derived from the
 * instance), then acknowledges it: every step runs once, every transition is applied once.
 */
describe('a step command redelivered after its transition committed, before its output was published', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let proxy: FreezableProxy;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [forkedSaga], [], { steps: [] });
    const broker = new URL(environment.rabbitmqUrl);
    proxy = await FreezableProxy.start(broker.hostname, Number(broker.port || 5672));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await proxy.close();
    await api.close();
    await environment.cleanup([forkedSaga]);
  });

  it('republishes the fork commands it issued; the next steps run once', async () => {
    const proxied = new URL(environment.rabbitmqUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const doomed = startProcess(WORKER, {
      ...environment.env,
      RABBITMQ_URL: proxied.toString(),
      LOG_STEP_STARTS: '1',
      STRATEGOS_STEPS: 'forked-saga.Reserve',
    });
    const rest = startProcess(WORKER, {
      ...environment.env,
      STRATEGOS_STEPS: 'forked-saga.PathA,forked-saga.PathB,forked-saga.Join,forked-saga.Confirm',
    });
    workers.push(doomed, rest);
    await Promise.all([doomed.waitForOutput('worker-ready'), rest.waitForOutput('worker-ready')]);

    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { workflowId } = await api.starter.start(forkedSaga, { workflowId: randomUUID(), script: { Reserve: { sleepMs: 1_500 } } });
      ids.push(workflowId);
    }
    for (const id of ids) await doomed.waitForOutput(`step-started ${id}/Reserve#1`);
    // Reserve commits (the database is direct); the broker connection is stalled, so nothing it issues is published.
    proxy.freeze();
    const standby = startProcess(WORKER, { ...environment.env, STRATEGOS_STEPS: 'forked-saga.Reserve' });
    workers.push(standby);
    await standby.waitForOutput('worker-ready');

    for (const id of ids) {
      for (let i = 0; i < 500 && !(await api.query.history(id)).some((e) => e.kind === 'StepCompleted' && e.data.step === 'Reserve'); i++)
        await sleep(20);
    }
    await sleep(300);
    for (const id of ids) expect((await api.query.get(id))?.phase).toMatch(/^Fork/);
    await doomed.stop('SIGKILL');
    // The dead process's connection ends, as the kernel ends it after a kill (the stalled proxy would keep it open
    // until the broker's heartbeat timeout): the broker redelivers what the killed worker had not acknowledged.
    await proxy.close();

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
