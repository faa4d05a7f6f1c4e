import { randomUUID } from 'node:crypto';
import { scriptedSaga, type ScriptedState } from './fixtures/scripted-workflow';
import { startProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('a worker stopped with SIGTERM while a step runs', () => {
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [scriptedSaga], [], { steps: [] });
  });

  afterAll(async () => {
    await api.close();
    await environment.cleanup([scriptedSaga]);
  });

  it('lets the step finish and commits its transition before exiting', async () => {
    const worker = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    await worker.waitForOutput('worker-ready');
    const { workflowId } = await api.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Charge: { sleepMs: 1_000 } } });
    for (let i = 0; i < 200 && (await api.query.get(workflowId))?.phase !== 'Charge'; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await api.query.get(workflowId))?.phase).toBe('Charge');

    await worker.stop('SIGTERM');

    // Within the grace period (2 s in the test worker) Charge finished and its transition was committed;
    // the next step's command waits on its queue (no worker is left to run it).
    expect(worker.output.some((line) => line.includes('Strategos stopped'))).toBe(true);
    const view = await api.query.get<ScriptedState>(workflowId);
    expect(view).toMatchObject({ status: 'running', phase: 'Ship', state: { results: { Reserve: 1, Charge: 1 } } });
    const charged = (await api.query.history(workflowId)).filter((e) => e.kind === 'StepCompleted' && e.data.step === 'Charge');
    expect(charged).toHaveLength(1);

    const next = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    try {
      await next.waitForOutput('worker-ready');
      await expect(api.query.waitFor(workflowId, { timeoutMs: 30_000 })).resolves.toMatchObject({ status: 'completed' });
    } finally {
      await next.stop();
    }
  });
});
