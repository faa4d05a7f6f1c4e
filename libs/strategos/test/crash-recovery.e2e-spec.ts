import { initialOrderState, processOrder } from '@app/orders';
import { stepCompletionCounts, waitForAll } from './support/history-assertions';
import { startProcess } from './support/processes';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';
import type { TestApp, TestEnvironment } from './support/strategos-test-app';

const ORDER_STEPS = { ValidateOrder: 1, ProcessPayment: 1, ReserveInventory: 1, FulfillOrder: 1, SendConfirmation: 1 };

describe('a worker killed with SIGKILL in the middle of a step', () => {
  let system: ApiAndWorkers;
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    system = await startApiAndWorkers(0);
    ({ environment, api } = system);
  });

  afterAll(() => system.stop());

  it('loses nothing: after a restart every workflow completes with each step completed exactly once', async () => {
    const blocked = startProcess('libs/strategos/test/fixtures/test-worker.main.js', {
      ...environment.env,
      BLOCK_PAYMENT: '1',
      PREFETCH: '5',
    });
    await blocked.waitForOutput('worker-ready');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await api.starter.start(processOrder, initialOrderState())).workflowId);

    await blocked.waitForOutput('payment-started');
    const exit = await blocked.stop('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const stuck = await Promise.all(ids.map((id) => api.query.get(id)));
    // Payment is a fork path (beside the reservation): the run is in the fork with ProcessPayment still active.
    expect(stuck.some((view) => view?.status === 'running' && view.active.some((position) => position.step === 'ProcessPayment'))).toBe(
      true,
    );

    const restarted = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    try {
      await restarted.waitForOutput('worker-ready');
      const views = await waitForAll(api.query, ids, 60_000);
      expect(views.map((view) => view.status)).toEqual(ids.map(() => 'completed'));
      for (const id of ids) expect(await stepCompletionCounts(api.query, id)).toEqual(ORDER_STEPS);
    } finally {
      await restarted.stop();
    }
  });
});
