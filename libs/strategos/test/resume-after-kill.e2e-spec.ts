import { randomUUID } from 'node:crypto';
import { scriptedSaga } from './fixtures/scripted-workflow';
import { FreezableProxy } from './support/freezable-proxy';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const WORKER = 'libs/strategos/test/fixtures/test-worker.main.js';
const RUNS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worst case of a crash: the killed worker committed its transitions, but the commands they send were never
 * published (its broker connection stalled). Those step commands have no outbox row: the killed worker never
 * acknowledged the commands it was handling, so the broker redelivers them as soon as its connection is gone, and
 * the worker that gets them finds them applied and publishes what their transitions issued (re-derived from the
 * instance) before acknowledging them.
 */
describe('a worker killed with SIGKILL after committing, before publishing', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let proxy: FreezableProxy;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // The API process only starts runs and runs the outbox relay.
    api = await startTestApp(environment, [scriptedSaga], [], { steps: [] });
    const broker = new URL(environment.rabbitmqUrl);
    proxy = await FreezableProxy.start(broker.hostname, Number(broker.port || 5672));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await proxy.close();
    await api.close();
    await environment.cleanup([scriptedSaga]);
  });

  it('has every run move on within 2 s of the kill', async () => {
    const proxied = new URL(environment.rabbitmqUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    // Reserve and Charge run in the worker to kill (its broker traffic through the proxy); the rest in another.
    const doomed = startProcess(WORKER, {
      ...environment.env,
      RABBITMQ_URL: proxied.toString(),
      LOG_STEP_STARTS: '1',
      STRATEGOS_STEPS: 'scripted-saga.Reserve,scripted-saga.Charge',
    });
    const survivor = startProcess(WORKER, {
      ...environment.env,
      STRATEGOS_STEPS: 'scripted-saga.Ship,scripted-saga.Notify,scripted-saga.Confirm',
    });
    workers.push(doomed, survivor);
    await Promise.all([doomed.waitForOutput('worker-ready'), survivor.waitForOutput('worker-ready')]);

    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { workflowId } = await api.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Charge: { sleepMs: 2_000 } } });
      ids.push(workflowId);
    }
    for (const id of ids) await doomed.waitForOutput(`step-started ${id}/Charge#1`);
    // A standby for the same steps: every Charge command is already in the doomed worker's hands, so it gets only
    // the redeliveries after the kill.
    // The broker connection stalls: Charge commits (the database is direct), its Ship command is never published.
    proxy.freeze();
    const standby = startProcess(WORKER, { ...environment.env, STRATEGOS_STEPS: 'scripted-saga.Reserve,scripted-saga.Charge' });
    workers.push(standby);
    await standby.waitForOutput('worker-ready');

    for (const id of ids) {
      for (let i = 0; i < 500 && !(await api.query.history(id)).some((e) => e.kind === 'StepCompleted' && e.data.step === 'Charge'); i++)
        await sleep(20);
    }
    await sleep(300);
    const killedAt = Date.now();
    await doomed.stop('SIGKILL');
    // The dead process's connection ends, as the kernel ends it after a kill (the stalled proxy would keep it open
    // until the broker's heartbeat timeout): the broker redelivers what the killed worker had not acknowledged.
    await proxy.close();

    const views = await Promise.all(ids.map((id) => api.query.waitFor(id, { timeoutMs: 30_000 })));
    expect(views.map((view) => view.status)).toEqual(ids.map(() => 'completed'));
    const resumes: { id: string; resumeMs: number }[] = [];
    for (const id of ids) {
      const history = await api.query.history(id);
      const charged = history.find((e) => e.kind === 'StepCompleted' && e.data.step === 'Charge')!;
      expect(charged.timestamp.getTime()).toBeLessThan(killedAt);
      // The run's next transition after the kill (Ship completed): its command was republished on Charge's redelivery.
      const next = history.find((e) => e.timestamp.getTime() > killedAt)!;
      resumes.push({ id, resumeMs: next.timestamp.getTime() - killedAt });
    }
    expect(resumes.filter((resume) => resume.resumeMs >= 2_000)).toEqual([]);
  });
});
