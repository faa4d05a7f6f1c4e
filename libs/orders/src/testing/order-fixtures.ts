import { randomUUID } from 'node:crypto';
import { OrderStatus, type Order, type OrderState } from '../domain/order';

/** A valid order for tests and the demo; override any field. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: `ord-${randomUUID().slice(0, 8)}`,
    customerId: 'cust-42',
    items: [
      { sku: 'BOOK-1', quantity: 2, price: 12.5 },
      { sku: 'PEN-7', quantity: 1, price: 3 },
    ],
    shippingAddress: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    ...overrides,
  };
}

/** The initial state of a `process-order` run for `order`. */
export function initialOrderState(order: Order = anOrder(), workflowId: string = randomUUID()): OrderState {
  return { workflowId, order, status: OrderStatus.Pending };
}

/** A digital order: every item is a download, so the workflow skips inventory and shipping. */
export function aDigitalOrder(overrides: Partial<Order> = {}): Order {
  return anOrder({ items: [{ sku: 'DIGITAL-EBOOK-9', quantity: 1, price: 9.99 }], ...overrides });
}
