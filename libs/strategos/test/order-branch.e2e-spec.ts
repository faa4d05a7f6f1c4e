import { aDigitalOrder, anOrder, initialOrderState, processOrder, type OrderState } from '@app/orders';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** Steps of the two workers: the branch's cases (and the physical fork's reservation path) run on the second one, so each order crosses processes. */
const CORE_STEPS = [
  'ValidateOrder',
  'ProcessPayment',
  'RefundPayment',
  'ProcessDigitalPayment',
  'RefundDigitalPayment',
  'SendConfirmation',
  'SendFailureNotification',
];
const DELIVERY_STEPS = ['ReserveInventory', 'ReleaseInventory', 'FulfillOrder', 'SendDownloadLink'];

/** The order example's branch (digital orders skip inventory and shipping) on the real broker and database, across split workers. */
describe('process-order branch across split workers', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let workers: RunningProcess[];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [processOrder], [], { steps: [] });
    workers = [CORE_STEPS, DELIVERY_STEPS].map((steps) =>
      startProcess('apps/order-worker/src/main.js', { ...environment.env, STRATEGOS_STEPS: steps.join(',') }),
    );
    await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready')));
  });

  afterAll(async () => {
    await Promise.all((workers ?? []).map((worker) => worker.stop('SIGTERM')));
    await api?.close();
    await environment?.cleanup([processOrder]);
  });

  async function run(state: OrderState): Promise<{ status: string; state: OrderState; phases: unknown[]; commands: unknown[] }> {
    const { workflowId } = await api.starter.start(processOrder, state);
    const view = await api.query.waitFor<OrderState>(workflowId, { timeoutMs: 60_000 });
    const history = await api.query.history(workflowId);
    return {
      status: view.status,
      state: view.state,
      phases: history.filter((entry) => entry.kind === 'PhaseChanged').map((entry) => entry.data.to),
      commands: history.filter((entry) => entry.kind === 'StepCompleted').map((entry) => entry.data.step),
    };
  }

  it('sends a digital order its download link and never reserves or ships it', async () => {
    const digital = await run(initialOrderState(aDigitalOrder()));

    expect(digital.status).toBe('completed');
    expect(digital.phases).toEqual(['ValidateOrder', 'ProcessDigitalPayment', 'SendDownloadLink', 'SendConfirmation']);
    expect(digital.state).toMatchObject({ delivery: 'digital', download: { url: expect.any(String) }, status: 'Completed' });
    expect(digital.state.reservation).toBeUndefined();
    expect(digital.state.shipment).toBeUndefined();
  });

  it('reserves and ships a physical order, at the same time as digital ones', async () => {
    const [physical, digital] = await Promise.all([run(initialOrderState(anOrder())), run(initialOrderState(aDigitalOrder()))]);

    expect(physical.status).toBe('completed');
    expect(physical.phases).toEqual(['ValidateOrder', 'ProcessPayment', 'ReserveInventory', 'FulfillOrder', 'SendConfirmation']);
    expect(physical.state).toMatchObject({ delivery: 'physical', reservation: expect.any(Object), shipment: expect.any(Object) });
    expect(digital.phases).toEqual(['ValidateOrder', 'ProcessDigitalPayment', 'SendDownloadLink', 'SendConfirmation']);
  });

  it('compensates exactly the steps the physical case completed when it fails after the branch', async () => {
    const outOfStock = await run(initialOrderState(anOrder({ items: [{ sku: 'OOS-LAMP', quantity: 1, price: 49.9 }] })));

    // The payment ran in parallel (a fork path): refunded when it completed, never run when the failure came first.
    const charged = outOfStock.commands.includes('ProcessPayment');
    expect(outOfStock.status).toBe(charged ? 'compensated' : 'failed');
    expect(outOfStock.phases).toEqual([
      'ValidateOrder',
      'ProcessPayment',
      'ReserveInventory',
      ...(charged ? ['RefundPayment'] : []),
      'SendFailureNotification',
    ]);
    expect(outOfStock.state).toMatchObject({ failureNotified: true });
    expect(outOfStock.state.refunded).toBe(charged ? true : undefined);
    expect(outOfStock.state.inventoryReleased).toBeUndefined();
  });
});
