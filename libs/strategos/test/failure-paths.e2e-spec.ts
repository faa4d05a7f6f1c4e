import { randomUUID } from 'node:crypto';
import type { HistoryEntry } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, ScriptSwitches, scriptedSaga, type ScriptedState, type StepScript } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** Retries, timeouts, compensation, cancel and retry on the real broker and database, with exact event sequences. */
describe('failure paths', () => {
  let environment: TestEnvironment;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], { outbox: { relayIntervalMs: 50 } });
  });

  afterAll(async () => {
    await app.close();
    await environment.cleanup([scriptedSaga]);
  });

  afterEach(() => app.app.get(ScriptSwitches).byStep.clear());

  async function run(script: Record<string, StepScript>) {
    const { workflowId } = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script });
    const view = await app.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 30_000 });
    return { workflowId, view, trail: trail(await app.query.history(workflowId)) };
  }

  function trail(history: HistoryEntry[]): string[] {
    return history.map((e) => {
      if (e.kind === 'PhaseChanged') return `→${e.data.to}`;
      if (e.kind === 'StepCompleted') return `${e.data.step}✓${e.data.attempt}`;
      if (e.kind === 'StepFailed') return `${e.data.step}✗${e.data.attempt}${e.data.willRetry ? ' retry' : ''} ${e.data.code}`;
      return e.kind;
    });
  }

  it('completes the happy path', async () => {
    const { view, trail: events } = await run({});
    expect(view.status).toBe('completed');
    expect(events).toEqual([
      'Started',
      '→Reserve',
      'Reserve✓1',
      '→Charge',
      'Charge✓1',
      '→Ship',
      'Ship✓1',
      '→Confirm',
      'Confirm✓1',
      'Completed',
    ]);
  });

  it('retries a technical failure with back-off and counts attempts', async () => {
    const { view, trail: events } = await run({ Charge: { throwUntilAttempt: 2 } });
    expect(view.status).toBe('completed');
    expect(view.state.results?.Charge).toBe(3);
    expect(events.slice(3, 7)).toEqual(['→Charge', 'Charge✗1 retry STEP_ERROR', 'Charge✗2 retry STEP_ERROR', 'Charge✓3']);
  });

  it('times out a step that ignores its signal, discards its late result and retries it', async () => {
    const { workflowId, view, trail: events } = await run({ Ship: { sleepMs: 1_500, sleepOnAttempts: [1], ignoreSignal: true } });
    expect(view.status).toBe('completed');
    expect(events.slice(5, 8)).toEqual(['→Ship', 'Ship✗1 retry STEP_TIMEOUT', 'Ship✓2']);
    // The first attempt finishes later, in the background: its result is never applied.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await app.query.get<ScriptedState>(workflowId))?.state.results?.Ship).toBe(2);
    expect((await app.query.history(workflowId)).filter((e) => e.kind === 'StepCompleted' && e.data.step === 'Ship')).toHaveLength(1);
  });

  it('does not retry a business failure: compensates in reverse order, then runs onFailure', async () => {
    const { view, trail: events } = await run({ Ship: { failCode: 'NO_CARRIER' } });
    expect(view).toMatchObject({ status: 'compensated', phase: 'Compensated', error: { code: 'NO_CARRIER', step: 'Ship' } });
    expect(events).toEqual([
      'Started',
      '→Reserve',
      'Reserve✓1',
      '→Charge',
      'Charge✓1',
      '→Ship',
      'Ship✗1 NO_CARRIER',
      'Compensating',
      '→Refund',
      'Refund✓1',
      '→Unreserve',
      'Unreserve✓1',
      'Compensated',
      '→Notify',
      'Notify✓1',
      'Failed',
    ]);
  });

  it('fails with STEP_EXHAUSTED and the last message when retries run out', async () => {
    const { view, trail: events } = await run({ Charge: { throwUntilAttempt: 99 } });
    expect(view).toMatchObject({
      status: 'compensated',
      error: { code: 'STEP_EXHAUSTED', step: 'Charge', message: 'Charge attempt 3 threw as scripted' },
    });
    expect(events.slice(3)).toEqual([
      '→Charge',
      'Charge✗1 retry STEP_ERROR',
      'Charge✗2 retry STEP_ERROR',
      'Charge✗3 STEP_EXHAUSTED',
      'Compensating',
      '→Unreserve',
      'Unreserve✓1',
      'Compensated',
      '→Notify',
      'Notify✓1',
      'Failed',
    ]);
  });

  it('leaves a workflow failed with both errors when a compensation fails, and runs nothing further', async () => {
    const { view, trail: events } = await run({ Ship: { failCode: 'NO_CARRIER' }, Refund: { throwUntilAttempt: 99 } });
    expect(view).toMatchObject({
      status: 'failed',
      phase: 'Failed',
      error: { code: 'NO_CARRIER', step: 'Ship' },
      compensationError: { code: 'STEP_EXHAUSTED', step: 'Refund' },
    });
    expect(events.slice(6)).toEqual([
      'Ship✗1 NO_CARRIER',
      'Compensating',
      '→Refund',
      'Refund✗1 retry STEP_ERROR',
      'Refund✗2 STEP_EXHAUSTED',
      'Failed',
    ]);
  });

  it('cancels a running workflow once: the step in flight finishes, then compensation runs', async () => {
    const { workflowId } = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Charge: { sleepMs: 1_000 } } });
    await app.app.get(ScriptSwitches).whenStarted(workflowId, 'Charge');

    await app.control.cancel(workflowId, 'customer changed their mind');
    await expect(app.control.cancel(workflowId, 'again')).rejects.toMatchObject({ code: 'WORKFLOW_ALREADY_CANCELLING' });

    const view = await app.query.waitFor(workflowId, { timeoutMs: 30_000 });
    expect(view).toMatchObject({ status: 'cancelled', phase: 'Cancelled', cancelReason: 'customer changed their mind' });
    expect(trail(await app.query.history(workflowId))).toEqual([
      'Started',
      '→Reserve',
      'Reserve✓1',
      '→Charge',
      'CancelRequested',
      'Charge✓1',
      'Compensating',
      '→Refund',
      'Refund✓1',
      '→Unreserve',
      'Unreserve✓1',
      'Compensated',
      'Cancelled',
    ]);
    await expect(app.control.cancel(workflowId)).rejects.toMatchObject({ code: 'WORKFLOW_NOT_RUNNING' });
  });

  it('retries a failed workflow from the step that failed, and it completes', async () => {
    app.app.get(ScriptSwitches).byStep.set('Reserve', 'fail');
    const { workflowId, view } = await run({});
    expect(view).toMatchObject({ status: 'failed', error: { code: 'SWITCHED_TO_FAIL', step: 'Reserve' } });

    app.app.get(ScriptSwitches).byStep.clear();
    await app.control.retry(workflowId);
    const retried = await app.query.waitFor(workflowId, { timeoutMs: 30_000 });

    expect(retried.status).toBe('completed');
    expect(trail(await app.query.history(workflowId))).toEqual([
      'Started',
      '→Reserve',
      'Reserve✗1 SWITCHED_TO_FAIL',
      '→Notify',
      'Notify✓1',
      'Failed',
      'Retried',
      '→Reserve',
      'Reserve✓1',
      '→Charge',
      'Charge✓1',
      '→Ship',
      'Ship✓1',
      '→Confirm',
      'Confirm✓1',
      'Completed',
    ]);
    await expect(app.control.retry(workflowId)).rejects.toMatchObject({ code: 'WORKFLOW_NOT_RETRYABLE' });
    await expect(app.control.retry('no-such-workflow')).rejects.toMatchObject({ code: 'WORKFLOW_NOT_FOUND' });
  });
});
