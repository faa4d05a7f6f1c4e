import { initialOrderState, processOrder } from '@app/orders';
import { inChunks, stepCompletionCounts, waitForAll } from './support/history-assertions';
import { terminateDatabaseBackends } from './support/outages';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';
import type { TestApp } from './support/strategos-test-app';

describe('PostgreSQL backends terminated under load', () => {
  let system: ApiAndWorkers;
  let api: TestApp;

  beforeAll(async () => {
    system = await startApiAndWorkers(2);
    api = system.api;
  });

  afterAll(() => system.stop());

  it('completes every workflow with each step applied once', async () => {
    const ids = await inChunks(300, 50, async () => (await api.starter.start(processOrder, initialOrderState())).workflowId);
    let terminated = 0;
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      terminated += await terminateDatabaseBackends(system.environment.databaseUrl, system.environment.namespace);
    }
    expect(terminated).toBeGreaterThan(0);

    const views = await waitForAll(api.query, ids, 90_000);
    expect(views.filter((view) => view.status !== 'completed')).toEqual([]);
    for (const id of ids)
      expect(await stepCompletionCounts(api.query, id)).toEqual({
        ValidateOrder: 1,
        ProcessPayment: 1,
        ReserveInventory: 1,
        FulfillOrder: 1,
        SendConfirmation: 1,
      });
  });
});
