import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { WorkflowView } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, ScriptSwitches, scriptedSaga, type ScriptedState } from './fixtures/scripted-workflow';
import { type AppBehindStoreProxy, startAppBehindStoreProxy } from './support/app-behind-store-proxy';
import { createTestEnvironment, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import type { TcpProxy } from './support/tcp-proxy';
import { waitUntil } from './support/wait-until';

/** The line `waitFor` writes (once) when a read of the store fails transiently. */
const STORE_UNAVAILABLE = 'Store unavailable; waitFor keeps waiting';

/** `WorkflowQuery.waitFor` sits out a database outage: started while PostgreSQL is unreachable, it resolves once the run completes after it. */
describe('waitFor during a store outage', () => {
  let environment: TestEnvironment;
  let behindProxy: AppBehindStoreProxy | undefined;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    behindProxy = await startAppBehindStoreProxy(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], {
      storeRetry: { initialDelayMs: 100, maxDelayMs: 500 },
      outbox: { relayIntervalMs: 100 },
    });
    ({ app, proxy } = behindProxy);
  });

  afterAll(async () => {
    await behindProxy?.close();
    await environment.cleanup([scriptedSaga]);
  });

  afterEach(() => jest.restoreAllMocks());

  it('keeps waiting while the store is cut and resolves with the completed view once it is back', async () => {
    const debug = jest.spyOn(Logger.prototype, 'debug');
    const storeDownEntries = (): unknown[][] =>
      debug.mock.calls.filter(([entry]) => (entry as { message?: unknown }).message === STORE_UNAVAILABLE);
    const { workflowId } = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Reserve: { sleepMs: 300 } } });
    await app.app.get(ScriptSwitches).whenStarted(workflowId, 'Reserve');
    await proxy.cut();
    // The store is really unreachable: a plain read fails with a transient error, as waitFor's did before.
    await expect(app.query.get(workflowId)).rejects.toThrow(/ECONNREFUSED|Connection terminated|connect/i);

    let settled = false;
    const done = app.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 15_000, pollIntervalMs: 200 });
    const observed = done.then(
      (view) => ((settled = true), view),
      (error: unknown) => ((settled = true), Promise.reject(error)),
    );
    await waitUntil('a failed read inside waitFor', () => (storeDownEntries().length > 0 ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    expect(storeDownEntries()).toEqual([
      [expect.objectContaining({ workflowId, error: expect.stringMatching(/ECONNREFUSED|terminated|connect/i) })],
    ]);
    expect(settled).toBe(false);

    await proxy.restore();
    const view: WorkflowView<ScriptedState> = await observed;

    expect(view).toMatchObject({ workflowId, status: 'completed', phase: 'Completed' });
    expect(view.state.results).toEqual({ Reserve: 1, Charge: 1, Ship: 1, Confirm: 1 });
    // One line for the whole outage, however many reads failed.
    expect(storeDownEntries()).toHaveLength(1);
  });
});
