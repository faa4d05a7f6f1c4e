import { randomUUID } from 'node:crypto';
import { Workflow } from '@strategos/nestjs';
import { Charge, Confirm, Reserve, SCRIPTED_PROVIDERS, type ScriptedState } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const LEASE_MS = 3_000;

/** A saga whose Charge retries after exactly the outbox lease. */
const leaseLongRetrySaga = Workflow.create<ScriptedState>('lease-long-retry-saga')
  .startWith(Reserve)
  .then(Charge, { retry: { maxAttempts: 2, initialDelayMs: LEASE_MS, multiplier: 1 } })
  .finally(Confirm);

describe('a retry delay equal to the outbox lease', () => {
  let environment: TestEnvironment;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [leaseLongRetrySaga], [...SCRIPTED_PROVIDERS], { outbox: { leaseMs: LEASE_MS } });
  });

  afterAll(async () => {
    await app.close();
    await environment.cleanup([leaseLongRetrySaga]);
  });

  it('is waited, like any other delay', async () => {
    const { workflowId } = await app.starter.start(leaseLongRetrySaga, {
      workflowId: randomUUID(),
      script: { Charge: { throwUntilAttempt: 1 } },
    });

    const view = await app.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 30_000 });
    expect(view.status).toBe('completed');
    expect(view.state.results).toEqual({ Reserve: 1, Charge: 2, Confirm: 1 });
    const history = await app.query.history(workflowId);
    const failed = history.find((event) => event.kind === 'StepFailed');
    const retried = history.find((event) => event.kind === 'StepCompleted' && event.data.step === 'Charge');
    expect(failed?.data).toMatchObject({ step: 'Charge', attempt: 1, willRetry: true, retryInMs: LEASE_MS });
    // The retry ran no earlier than its delay (the clocks are the same process's; a little slack for rounding).
    expect(retried!.timestamp.getTime() - failed!.timestamp.getTime()).toBeGreaterThanOrEqual(LEASE_MS - 50);
  });
});
