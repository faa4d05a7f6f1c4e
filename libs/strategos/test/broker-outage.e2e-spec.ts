import { initialOrderState, processOrder } from '@app/orders';
import { inChunks, stepCompletionCounts, waitForAll } from './support/history-assertions';
import { brokerConnectionCount, closeBrokerConnections } from './support/outages';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';
import type { TestApp } from './support/strategos-test-app';
import { waitUntil } from './support/wait-until';

describe('broker connections closed under load', () => {
  let system: ApiAndWorkers;
  let api: TestApp;

  beforeAll(async () => {
    system = await startApiAndWorkers(2);
    api = system.api;
  });

  afterAll(() => system.stop());

  it('completes every workflow with each step applied once', async () => {
    const starting = inChunks(300, 50, async () => (await api.starter.start(processOrder, initialOrderState())).workflowId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    let closed = await closeBrokerConnections(system.environment.namespace);
    const ids = await starting;
    // Every process has connected again (after its back-off) before the second round: a fixed pause
    // could end before a loaded machine's reconnections, and the second round would then close fewer.
    await waitUntil(
      'the processes connected again',
      async () => ((await brokerConnectionCount(system.environment.namespace)) >= closed ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    closed += await closeBrokerConnections(system.environment.namespace);
    // The API's connection and both workers', twice.
    expect(closed).toBeGreaterThanOrEqual(6);

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
