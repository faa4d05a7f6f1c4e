import { initialOrderState, processOrder } from '@app/orders';
import { inChunks, stepCompletionCounts, waitForAll } from './support/history-assertions';
import { terminateDatabaseBackends } from './support/outages';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('PostgreSQL backends terminated under load', () => {
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
    const ids = await inChunks(300, 50, async () => (await api.starter.start(processOrder, initialOrderState())).workflowId);
    let terminated = 0;
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      terminated += await terminateDatabaseBackends(environment.databaseUrl);
    }
    expect(terminated).toBeGreaterThan(0);

    const views = await waitForAll(api.query, ids, 90_000);
    expect(views.filter((view) => view.status !== 'completed')).toEqual([]);
    for (const id of ids) expect(await stepCompletionCounts(api.query, id)).toEqual({ ValidateOrder: 1, ProcessPayment: 1, ReserveInventory: 1, FulfillOrder: 1, SendConfirmation: 1 });
  });
});
