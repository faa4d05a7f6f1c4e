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
    return {
      view,
      kinds: history.map((e) => (e.kind === 'PhaseChanged' ? `PhaseChanged:${e.data.to}` : e.kind)),
      /** The steps that completed, in the order they completed. */
      steps: history.filter((e) => e.kind === 'StepCompleted').map((e) => String(e.data.step)),
    };
  }

  // Payment and reservation are two fork paths: when one fails, the other's step may not have started (it then never
  // runs), or may be in flight or done (it is recorded, then undone). Either way nothing stays charged or held.
  it('notifies the customer after a declined payment, and releases the reservation made in parallel if it ran', async () => {
    const { view, kinds, steps } = await run(anOrder({ customerId: 'declined-9' }));

    expect(view).toMatchObject({ error: { code: 'PAYMENT_FAILED', step: 'ProcessPayment', path: 'fork#1.1' } });
    expect(view.state.failureNotified).toBe(true);
    expect(kinds.slice(0, 5)).toEqual([
      'Started',
      'PhaseChanged:ValidateOrder',
      'StepCompleted',
      'PhaseChanged:ProcessPayment',
      'PhaseChanged:ReserveInventory',
    ]);
    const reserved = steps.includes('ReserveInventory');
    expect(view.status).toBe(reserved ? 'compensated' : 'failed');
    expect(kinds.includes('PhaseChanged:ReleaseInventory')).toBe(reserved);
    expect(kinds).not.toContain('PhaseChanged:RefundPayment');
    expect(kinds.slice(-3)).toEqual(['PhaseChanged:SendFailureNotification', 'StepCompleted', 'Failed']);
    expect(harness.get(InventoryService).held()).toEqual([]);
    expect(harness.get(NotificationService).sent.map((n) => n.kind)).toEqual(['failure']);
  });

  it('refunds the payment made in parallel when inventory is out of stock, then notifies the customer', async () => {
    const { view, kinds, steps } = await run(anOrder({ items: [{ sku: 'OOS-LAMP', quantity: 1, price: 20 }] }));

    expect(view).toMatchObject({ error: { code: 'OUT_OF_STOCK', step: 'ReserveInventory', path: 'fork#1.2' } });
    expect(view.state.failureNotified).toBe(true);
    expect(view.state.inventoryReleased).toBeUndefined();
    const charged = steps.includes('ProcessPayment');
    expect(view.status).toBe(charged ? 'compensated' : 'failed');
    expect(view.state.refunded).toBe(charged ? true : undefined);
    expect(kinds.filter((k) => k.startsWith('PhaseChanged:'))).toEqual([
      'PhaseChanged:ValidateOrder',
      'PhaseChanged:ProcessPayment',
      'PhaseChanged:ReserveInventory',
      ...(charged ? ['PhaseChanged:RefundPayment'] : []),
      'PhaseChanged:SendFailureNotification',
    ]);
    expect(kinds).not.toContain('PhaseChanged:FulfillOrder');
    expect(harness.get(NotificationService).sent).toEqual([
      expect.objectContaining({ kind: 'failure', text: expect.stringContaining(charged ? 'refunded' : '') }),
    ]);
  });

  it('releases the reservation and refunds, in reverse order, when fulfilment fails', async () => {
    const { view, kinds, steps } = await run(
      anOrder({ shippingAddress: { street: 'Nowhere 1', city: 'Atlantis', postalCode: '0', country: 'XX' } }),
    );

    expect(view).toMatchObject({ status: 'compensated', error: { code: 'FULFILLMENT_FAILED', step: 'FulfillOrder' } });
    expect(view.state).toMatchObject({ inventoryReleased: true, refunded: true, failureNotified: true });
    // Reverse order of completion: the two fork paths may finish in either order.
    const undo: Record<string, string> = {
      ProcessPayment: 'PhaseChanged:RefundPayment',
      ReserveInventory: 'PhaseChanged:ReleaseInventory',
    };
    const completed = steps.filter((step) => step in undo);
    expect(completed).toHaveLength(2);
    expect(kinds.filter((k) => k.startsWith('PhaseChanged')).slice(4)).toEqual([
      ...completed.reverse().map((step) => undo[step]),
      'PhaseChanged:SendFailureNotification',
    ]);
    expect(harness.get(InventoryService).held()).toEqual([]);
  });
});
