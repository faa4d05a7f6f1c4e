import { randomUUID } from 'node:crypto';
import { slowRetrySaga, type ScriptedState } from './fixtures/scripted-workflow';
import { startProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('a retry whose back-off spans a restart of every worker', () => {
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // No steps and no relay here: only the restarted worker can deliver the delayed retry.
    api = await startTestApp(environment, [slowRetrySaga], [], { steps: [], outbox: { relay: false } });
  });

  afterAll(async () => {
    await api.close();
    await environment.cleanup([slowRetrySaga]);
  });

  it('still happens, with the attempt counted across the restart', async () => {
    const first = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    await first.waitForOutput('worker-ready');
    const { workflowId } = await api.starter.start(slowRetrySaga, {
      workflowId: randomUUID(),
      script: { Charge: { throwUntilAttempt: 1 } },
    });

    for (let i = 0; i < 200; i++) {
      if ((await api.query.history(workflowId)).some((e) => e.kind === 'StepFailed')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const failed = (await api.query.history(workflowId)).find((e) => e.kind === 'StepFailed');
    expect(failed?.data).toMatchObject({ step: 'Charge', attempt: 1, willRetry: true, retryInMs: 3_000 });
    await first.stop('SIGTERM');
    // A graceful shutdown (Nest re-raises SIGTERM after closing, so the exit is by signal).
    expect(first.output.some((line) => line.includes('Strategos stopped'))).toBe(true);

    // Every worker is down while the back-off elapses.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await api.query.get(workflowId))?.status).toBe('running');

    const second = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    try {
      await second.waitForOutput('worker-ready');
      const view = await api.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 30_000 });
      expect(view.status).toBe('completed');
      expect(view.state.results).toEqual({ Reserve: 1, Charge: 2, Confirm: 1 });
    } finally {
      await second.stop();
    }
  });
});
