import { StrategosTestHarness } from '@strategos/nestjs';
import type { OrderState } from './domain/order';
import { ORDER_SERVICES } from './order-steps';
import { processOrder } from './process-order.workflow';
import { InventoryService } from './services/inventory.service';
import { NotificationService } from './services/notification.service';
import { anOrder, initialOrderState } from './testing/order-fixtures';

describe('process-order failure paths on the test harness', () => {
  let harness: StrategosTestHarness;

  beforeEach(async () => {
    harness = await StrategosTestHarness.create({ workflows: [processOrder], providers: [...ORDER_SERVICES] });
  });
  afterEach(() => harness.close());

  async function run(order = anOrder()) {
    const { workflowId } = await harness.starter.start(processOrder, initialOrderState(order));
    const view = await harness.query.waitFor<OrderState>(workflowId, { timeoutMs: 10_000 });
    const history = await harness.query.history(workflowId);
    return { view, kinds: history.map((e) => (e.kind === 'PhaseChanged' ? `PhaseChanged:${e.data.to}` : e.kind)) };
  }

  it('notifies the customer after a declined payment, with nothing to compensate', async () => {
    const { view, kinds } = await run(anOrder({ customerId: 'declined-9' }));

    expect(view).toMatchObject({ status: 'failed', phase: 'Failed', error: { code: 'PAYMENT_FAILED', step: 'ProcessPayment' } });
    expect(view.state.failureNotified).toBe(true);
    expect(kinds).toEqual([
      'Started',
      'PhaseChanged:ValidateOrder',
      'StepCompleted',
      'PhaseChanged:ProcessPayment',
      'StepFailed',
      'PhaseChanged:SendFailureNotification',
      'StepCompleted',
      'Failed',
    ]);
    expect(harness.get(NotificationService).sent.map((n) => n.kind)).toEqual(['failure']);
  });

  it('refunds the payment when inventory is out of stock, then notifies the customer', async () => {
    const { view, kinds } = await run(anOrder({ items: [{ sku: 'OOS-LAMP', quantity: 1, price: 20 }] }));

    expect(view).toMatchObject({ status: 'compensated', phase: 'Compensated', error: { code: 'OUT_OF_STOCK', step: 'ReserveInventory' } });
    expect(view.state).toMatchObject({ refunded: true, failureNotified: true });
    expect(view.state.inventoryReleased).toBeUndefined();
    expect(kinds).toEqual([
      'Started',
      'PhaseChanged:ValidateOrder',
      'StepCompleted',
      'PhaseChanged:ProcessPayment',
      'StepCompleted',
      'PhaseChanged:ReserveInventory',
      'StepFailed',
      'Compensating',
      'PhaseChanged:RefundPayment',
      'StepCompleted',
      'Compensated',
      'PhaseChanged:SendFailureNotification',
      'StepCompleted',
      'Failed',
    ]);
    expect(harness.get(NotificationService).sent).toEqual([
      expect.objectContaining({ kind: 'failure', text: expect.stringContaining('refunded') }),
    ]);
  });

  it('releases the reservation and refunds, in reverse order, when fulfilment fails', async () => {
    const { view, kinds } = await run(
      anOrder({ shippingAddress: { street: 'Nowhere 1', city: 'Atlantis', postalCode: '0', country: 'XX' } }),
    );

    expect(view).toMatchObject({ status: 'compensated', error: { code: 'FULFILLMENT_FAILED', step: 'FulfillOrder' } });
    expect(view.state).toMatchObject({ inventoryReleased: true, refunded: true, failureNotified: true });
    expect(kinds.filter((k) => k.startsWith('PhaseChanged')).slice(4)).toEqual([
      'PhaseChanged:ReleaseInventory',
      'PhaseChanged:RefundPayment',
      'PhaseChanged:SendFailureNotification',
    ]);
    expect(harness.get(InventoryService).held()).toEqual([]);
  });
});
