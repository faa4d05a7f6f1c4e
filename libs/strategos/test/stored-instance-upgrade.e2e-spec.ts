import { anOrder, initialOrderState, processOrder, type OrderState } from '@app/orders';
import { Client } from 'pg';
import { startProcess, type RunningProcess } from './support/processes';
import { eventually } from './support/transport.contract';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/**
 * A deployment upgrades without draining: instances stored by a release before the graph (a cursor of only
 * `{ step, role, attempt, commandId }`) continue on the real broker and database, on their forward and
 * compensation paths.
 */
describe('instances stored before the definition graph', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let client: Client;
  let workers: RunningProcess[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [processOrder], [], { steps: [] });
    client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    await client?.end();
    await api?.close();
    await environment?.cleanup([processOrder]);
  });

  /** Rewrites the stored cursor to the shape of the previous release. */
  async function storeInOldShape(workflowId: string): Promise<Record<string, unknown>> {
    const { rows } = await client.query<{ cursor: Record<string, unknown> }>(
      `UPDATE "${environment.schema}".instances
          SET cursor = jsonb_build_object('step', cursor->'step', 'role', cursor->'role', 'attempt', cursor->'attempt', 'commandId', cursor->'commandId')
        WHERE workflow_id = $1
        RETURNING cursor`,
      [workflowId],
    );
    return rows[0].cursor;
  }

  it('continues a run whose stored cursor has the old shape, to completion and through compensation', async () => {
    // No worker yet: each run waits at ValidateOrder, its command in the queue, as during an upgrade.
    const completing = await api.starter.start(processOrder, initialOrderState(anOrder()));
    const compensating = await api.starter.start(
      processOrder,
      initialOrderState(anOrder({ items: [{ sku: 'OOS-LAMP', quantity: 1, price: 49.9 }] })),
    );
    for (const { workflowId } of [completing, compensating]) {
      expect(Object.keys(await storeInOldShape(workflowId)).sort()).toEqual(['attempt', 'commandId', 'role', 'step']);
    }

    // The reservation's worker starts once the charge has completed: the out-of-stock reservation then fails with a
    // charge to refund. (Started together, the fork's paths race, and a failure before the charge starts has
    // nothing to compensate.)
    const everyStepButTheReservation = [...processOrder.stepsByName.keys()].filter((step) => step !== 'ReserveInventory');
    workers = [
      startProcess('apps/order-worker/src/main.js', { ...environment.env, STRATEGOS_STEPS: everyStepButTheReservation.join(',') }),
    ];
    await workers[0].waitForOutput('worker-ready');
    await eventually(
      async () => {
        const history = await api.query.history(compensating.workflowId);
        return history.some((entry) => entry.kind === 'StepCompleted' && entry.data.step === 'ProcessPayment');
      },
      60_000,
      'the charge of the run to compensate',
    );
    workers.push(startProcess('apps/order-worker/src/main.js', { ...environment.env, STRATEGOS_STEPS: 'ReserveInventory' }));
    await workers[1].waitForOutput('worker-ready');

    const done = await api.query.waitFor<OrderState>(completing.workflowId, { timeoutMs: 60_000 });
    expect(done).toMatchObject({ status: 'completed', state: { status: 'Completed', delivery: 'physical' } });
    const undone = await api.query.waitFor<OrderState>(compensating.workflowId, { timeoutMs: 60_000 });
    expect(undone).toMatchObject({ status: 'compensated', error: { code: 'OUT_OF_STOCK' }, state: { refunded: true } });
    const history = await api.query.history(compensating.workflowId);
    expect(history.filter((entry) => entry.kind === 'PhaseChanged').map((entry) => entry.data.to)).toEqual([
      'ValidateOrder',
      'ProcessPayment',
      'ReserveInventory',
      'RefundPayment',
      'SendFailureNotification',
    ]);
  });
});
