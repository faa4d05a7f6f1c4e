import { Step, StepResult, StrategosTestHarness, Workflow, type StepContext, type WorkflowStep } from '@strategos/nestjs';
import { OrderStatus, type OrderState } from './domain/order';
import { ORDER_SERVICES } from './order-steps';
import { processOrder } from './process-order.workflow';
import { NotificationService } from './services/notification.service';
import { PaymentService } from './services/payment.service';
import { FulfillOrder } from './steps/fulfill-order.step';
import { SendConfirmation } from './steps/send-confirmation.step';
import { ValidateOrder } from './steps/validate-order.step';
import { aDigitalOrder, anOrder, initialOrderState } from './testing/order-fixtures';

describe('process-order on the test harness', () => {
  let harness: StrategosTestHarness;

  beforeEach(async () => {
    harness = await StrategosTestHarness.create({ workflows: [processOrder], providers: [...ORDER_SERVICES] });
  });
  afterEach(() => harness.close());

  it('runs the steps in order and completes with every output in the state', async () => {
    const { workflowId } = await harness.starter.start(processOrder, initialOrderState());

    const view = await harness.query.waitFor<OrderState>(workflowId, { timeoutMs: 10_000 });

    expect(view.status).toBe('completed');
    expect(view.phase).toBe('Completed');
    expect(view.state.isValid).toBe(true);
    expect(view.state.payment).toMatchObject({ success: true, amount: 28 });
    expect(view.state.reservation).toEqual({ reservationId: `res-${workflowId}:ReserveInventory`, skus: ['BOOK-1', 'PEN-7'] });
    expect(view.state.shipment).toEqual({ trackingNumber: expect.stringMatching(/^TRK-/), carrier: 'UPS' });
    expect(view.state.status).toBe(OrderStatus.Completed);
    expect(view.completedAt).toBeInstanceOf(Date);
    expect(harness.get(NotificationService).sent.map((n) => n.kind)).toEqual(['confirmation']);
  });

  it('sends a digital order its download link instead of reserving and shipping it', async () => {
    const { workflowId } = await harness.starter.start(processOrder, initialOrderState(aDigitalOrder()));

    const view = await harness.query.waitFor<OrderState>(workflowId, { timeoutMs: 10_000 });

    expect(view.status).toBe('completed');
    expect(view.state).toMatchObject({
      delivery: 'digital',
      download: { url: expect.stringMatching(/^https:\/\//) },
      status: OrderStatus.Completed,
    });
    expect(view.state.reservation).toBeUndefined();
    expect(view.state.shipment).toBeUndefined();
    const history = await harness.query.history(workflowId);
    expect(history.filter((e) => e.kind === 'PhaseChanged').map((e) => e.data.to)).toEqual([
      'ValidateOrder',
      'ProcessDigitalPayment',
      'SendDownloadLink',
      'SendConfirmation',
    ]);
  });

  it('records Started, a PhaseChanged per step and Completed, in order with increasing sequence numbers', async () => {
    const { workflowId } = await harness.starter.start(processOrder, initialOrderState());
    await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });

    const history = await harness.query.history(workflowId);
    const milestones = history.filter((e) => ['Started', 'PhaseChanged', 'Completed'].includes(e.kind));

    const steps = ['ValidateOrder', 'ProcessPayment', 'ReserveInventory', 'FulfillOrder', 'SendConfirmation'];
    expect(milestones.map((e) => e.type)).toEqual([
      'ProcessOrderStarted',
      ...steps.map(() => 'ProcessOrderPhaseChanged'),
      'ProcessOrderCompleted',
    ]);
    expect(milestones.filter((e) => e.kind === 'PhaseChanged').map((e) => e.data.to)).toEqual(steps);
    // ProcessPayment and ReserveInventory run in parallel (fork paths) and may complete in either order.
    const completed = history.filter((e) => e.kind === 'StepCompleted').map((e) => String(e.data.step));
    expect([completed[0], ...completed.slice(1, 3).sort(), ...completed.slice(3)]).toEqual(steps);
    const sequences = history.map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, index) => index + 1));
  });

  it('fails an invalid order at ValidateOrder with ORDER_INVALID and runs no later step', async () => {
    const { workflowId } = await harness.starter.start(processOrder, initialOrderState(anOrder({ items: [] })));

    const view = await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });

    expect(view.status).toBe('failed');
    expect(view.phase).toBe('Failed');
    expect(view.error).toMatchObject({ code: 'ORDER_INVALID', step: 'ValidateOrder' });
    const phases = (await harness.query.history(workflowId)).filter((e) => e.kind === 'PhaseChanged').map((e) => e.data.to);
    expect(phases).toEqual(['ValidateOrder', 'SendFailureNotification']);
    // Nothing was charged for this workflow: a first charge with its key is new.
    expect(await harness.get(PaymentService).charge('probe', 1, `${workflowId}:ProcessPayment`)).toMatchObject({
      transactionId: `txn-${workflowId}:ProcessPayment`,
      amount: 1,
    });
    expect(harness.get(NotificationService).sent.map((n) => n.kind)).toEqual(['failure']);
  });

  it('fails a declined payment at ProcessPayment with PAYMENT_FAILED', async () => {
    const { workflowId } = await harness.starter.start(processOrder, initialOrderState(anOrder({ customerId: 'declined-7' })));

    const view = await harness.query.waitFor<OrderState>(workflowId, { timeoutMs: 10_000 });

    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ code: 'PAYMENT_FAILED', message: 'Payment processing failed', step: 'ProcessPayment' });
    expect(view.state.isValid).toBe(true);
    expect(view.state.shipment).toBeUndefined();
  });

  it('starts one instance when started twice with the same workflowId', async () => {
    const state = initialOrderState();
    const first = await harness.starter.start(processOrder, state);
    const second = await harness.starter.start('process-order', state);
    await harness.query.waitFor(state.workflowId, { timeoutMs: 10_000 });

    expect(first).toEqual({ workflowId: state.workflowId, started: true });
    expect(second).toEqual({ workflowId: state.workflowId, started: false });
    const history = await harness.query.history(state.workflowId);
    expect(history.filter((e) => e.kind === 'Started')).toHaveLength(1);
    expect(history.filter((e) => e.kind === 'Completed')).toHaveLength(1);
    expect(harness.get(NotificationService).sent).toHaveLength(1);
  });

  it('returns null for an unknown workflow id', async () => {
    await expect(harness.query.get('no-such-id')).resolves.toBeNull();
  });
});

describe('step attempts and frozen state on the test harness', () => {
  const seen: StepContext[] = [];
  const mutationErrors: string[] = [];

  @Step({ name: 'FlakyPayment', retry: { maxAttempts: 5, initialDelayMs: 10, multiplier: 1 } })
  class FlakyPayment implements WorkflowStep<OrderState> {
    async execute(_state: Readonly<OrderState>, context: StepContext): Promise<StepResult<OrderState>> {
      seen.push(context);
      if (context.attempt < 3) throw new Error(`gateway timeout ${context.attempt}`);
      return StepResult.ok({ status: OrderStatus.Paid });
    }
  }

  @Step({ name: 'MutatingStep', retry: { maxAttempts: 1 } })
  class MutatingStep implements WorkflowStep<OrderState> {
    async execute(state: Readonly<OrderState>): Promise<StepResult<OrderState>> {
      try {
        (state.order.items as OrderState['order']['items'][number][]).push({ sku: 'X', quantity: 1, price: 1 });
      } catch (error) {
        mutationErrors.push((error as Error).message);
      }
      (state as { status: OrderStatus }).status = OrderStatus.Completed;
      return StepResult.ok();
    }
  }

  it('retries a step that throws twice and completes it with attempt 3 and one idempotency key', async () => {
    const flaky = Workflow.create<OrderState>('flaky-order')
      .startWith(ValidateOrder)
      .then(FlakyPayment)
      .then(FulfillOrder)
      .finally(SendConfirmation);
    const harness = await StrategosTestHarness.create({ workflows: [flaky], providers: [...ORDER_SERVICES] });
    try {
      const { workflowId } = await harness.starter.start(flaky, initialOrderState());
      const view = await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });

      expect(view.status).toBe('completed');
      expect(seen.map((c) => c.attempt)).toEqual([1, 2, 3]);
      expect(new Set(seen.map((c) => c.idempotencyKey))).toEqual(new Set([`${workflowId}:FlakyPayment`]));
      const failures = (await harness.query.history(workflowId)).filter((e) => e.kind === 'StepFailed');
      expect(failures.map((e) => [e.data.attempt, e.data.message, e.data.willRetry])).toEqual([
        [1, 'gateway timeout 1', true],
        [2, 'gateway timeout 2', true],
      ]);
    } finally {
      await harness.close();
    }
  });

  it('hands steps a deep-frozen state: a mutation throws and changes nothing', async () => {
    const mutating = Workflow.create<OrderState>('mutating-order').startWith(MutatingStep).finally(SendConfirmation);
    const harness = await StrategosTestHarness.create({ workflows: [mutating], providers: [...ORDER_SERVICES] });
    try {
      const initial = initialOrderState();
      const { workflowId } = await harness.starter.start(mutating, initial);
      const view = await harness.query.waitFor<OrderState>(workflowId, { timeoutMs: 10_000 });

      expect(mutationErrors).toEqual([expect.stringMatching(/not extensible|read only|frozen/i)]);
      expect(view.status).toBe('failed');
      expect(view.error).toMatchObject({ code: 'STEP_EXHAUSTED', step: 'MutatingStep', message: expect.stringMatching(/read only/i) });
      expect(view.state.order.items).toHaveLength(initial.order.items.length);
      expect(view.state.status).toBe(OrderStatus.Pending);
    } finally {
      await harness.close();
    }
  });
});
