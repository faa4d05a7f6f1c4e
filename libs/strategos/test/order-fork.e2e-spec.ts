import { anOrder, initialOrderState, processOrder, type OrderState } from '@app/orders';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** What each provider call takes on the payment and inventory workers (ORDER_PROVIDER_LATENCY_MS). */
const LATENCY_MS = 2_000;

/** Three workers: the two fork paths' steps on their own processes, everything else on a third. */
const WORKERS: { steps: string[]; latency: boolean }[] = [
  { steps: ['ProcessPayment', 'RefundPayment'], latency: true },
  { steps: ['ReserveInventory', 'ReleaseInventory'], latency: true },
  {
    steps: [
      'ValidateOrder',
      'FulfillOrder',
      'SendConfirmation',
      'SendFailureNotification',
      'ProcessDigitalPayment',
      'RefundDigitalPayment',
      'SendDownloadLink',
    ],
    latency: false,
  },
];

/**
 * The order example's fork on the real broker and database: a physical order's payment and stock reservation run
 * at the same time on two worker processes, and FulfillOrder (the join) runs once, after both.
 */
describe('process-order fork across split workers', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let workers: RunningProcess[];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [processOrder], [], { steps: [] });
    workers = WORKERS.map(({ steps, latency }) =>
      startProcess('apps/order-worker/src/main.js', {
        ...environment.env,
        STRATEGOS_STEPS: steps.join(','),
        ORDER_PROVIDER_LATENCY_MS: latency ? String(LATENCY_MS) : '0',
      }),
    );
    await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready')));
  });

  afterAll(async () => {
    await Promise.all((workers ?? []).map((worker) => worker.stop('SIGTERM')));
    await api?.close();
    await environment?.cleanup([processOrder]);
  });

  it('runs payment and reservation at the same time on two workers and the join once, after both', async () => {
    const runs = await Promise.all(
      [1, 2, 3].map(async () => {
        const { workflowId } = await api.starter.start(processOrder, initialOrderState(anOrder()));
        const view = await api.query.waitFor<OrderState>(workflowId, { timeoutMs: 60_000 });
        return { view, history: await api.query.history(workflowId) };
      }),
    );

    for (const { view, history } of runs) {
      expect(view.status).toBe('completed');
      expect(view.state).toMatchObject({ payment: { success: true }, reservation: expect.any(Object), shipment: expect.any(Object) });
      const at = (kind: string, step: string) => history.filter((e) => e.kind === kind && (e.data.to ?? e.data.step) === step);

      // One transition issued both paths' first commands: consecutive events, before either path completed.
      const [payment] = at('PhaseChanged', 'ProcessPayment');
      const [reservation] = at('PhaseChanged', 'ReserveInventory');
      expect([payment.data.path, reservation.data.path]).toEqual(['fork#1.1', 'fork#1.2']);
      expect(reservation.sequence).toBe(payment.sequence + 1);
      expect(new Date(payment.timestamp)).toEqual(new Date(reservation.timestamp));

      // Each path took at least LATENCY_MS; run one after the other they would take at least twice that from the
      // fork. Both finished in less, so they overlapped.
      const forkedAt = new Date(payment.timestamp).getTime();
      const doneAt = ['ProcessPayment', 'ReserveInventory'].map((step) => new Date(at('StepCompleted', step)[0].timestamp).getTime());
      for (const done of doneAt) expect(done - forkedAt).toBeGreaterThanOrEqual(LATENCY_MS);
      expect(Math.max(...doneAt) - forkedAt).toBeLessThan(2 * LATENCY_MS);

      // The join: FulfillOrder once, after both paths.
      expect(at('PhaseChanged', 'FulfillOrder')).toHaveLength(1);
      expect(at('StepCompleted', 'FulfillOrder')).toHaveLength(1);
      expect(at('PhaseChanged', 'FulfillOrder')[0].sequence).toBeGreaterThan(
        Math.max(...['ProcessPayment', 'ReserveInventory'].map((step) => at('StepCompleted', step)[0].sequence)),
      );
      expect(at('StepCompleted', 'ProcessPayment')).toHaveLength(1);
      expect(at('StepCompleted', 'ReserveInventory')).toHaveLength(1);
    }
  });
});
