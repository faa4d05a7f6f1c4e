import type { Order } from '../domain/order';
import { aDigitalOrder, anOrder } from './order-fixtures';

/** One order the demo places, and what it is there to show. */
export interface DemoScenario {
  readonly order: Order;
  /** One line for the demo's output, e.g. `the happy path: every step succeeds`. */
  readonly shows: string;
}

/**
 * The demo's orders, one entry each: adding a scenario (a new branch, an approval) is adding an entry here.
 * `scripts/demo.js` places them in this order and prints `shows` beside each one's path.
 */
export function demoScenarios(): DemoScenario[] {
  return [
    {
      order: anOrder({ orderId: 'demo-1001' }),
      shows: 'the happy path: payment and stock reservation at the same time (a fork), fulfilment once both are done (the join)',
    },
    {
      order: anOrder({
        orderId: 'demo-1002',
        shippingAddress: { street: '5 Rue Haute', city: 'Lyon', postalCode: '69001', country: 'FR' },
      }),
      shows: 'the happy path with another address (workers split the steps between them)',
    },
    {
      order: anOrder({ orderId: 'demo-1003', customerId: 'declined-card' }),
      shows:
        'a declined payment: a business failure, not retried; the reservation made in parallel is released if it ran, then the failure notification runs',
    },
    {
      order: anOrder({ orderId: 'demo-1004', items: [{ sku: 'OOS-LAMP', quantity: 1, price: 49.9 }] }),
      shows: 'out of stock: the payment made in parallel is refunded if it went through, then the failure notification runs',
    },
    {
      order: aDigitalOrder({ orderId: 'demo-1005' }),
      shows: 'the branch: a digital order is charged (ProcessDigitalPayment) and gets a download link; no reservation, no shipment',
    },
    {
      order: anOrder({ orderId: 'demo-1006', items: [{ sku: 'DESK-PRO', quantity: 1, price: 1_499 }] }),
      shows:
        'over the approval limit: waits for a manager (POST /orders/<workflowId>/approve {"by":"ana"}); 48 h without a decision fails it',
    },
  ];
}
