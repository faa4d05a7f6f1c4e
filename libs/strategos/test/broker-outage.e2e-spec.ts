import { initialOrderState, processOrder } from '@app/orders';
import { inChunks, stepCompletionCounts, waitForAll } from './support/history-assertions';
import { closeAllBrokerConnections } from './support/outages';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('broker connections closed under load', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let workers: RunningProcess[];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [processOrder], [], { steps: [] });
    workers = [0, 1].map(() => startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env));
    await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready')));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.close();
    await environment.cleanup([processOrder]);
  });

  it('completes every workflow with each step applied once', async () => {
    const starting = inChunks(300, 50, async () => (await api.starter.start(processOrder, initialOrderState())).workflowId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await closeAllBrokerConnections();
    const ids = await starting;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await closeAllBrokerConnections();

    const views = await waitForAll(api.query, ids, 90_000);
    expect(views.filter((view) => view.status !== 'completed')).toEqual([]);
    for (const id of ids) expect(await stepCompletionCounts(api.query, id)).toEqual({ ValidateOrder: 1, ProcessPayment: 1, ReserveInventory: 1, FulfillOrder: 1, SendConfirmation: 1 });
  });
});
