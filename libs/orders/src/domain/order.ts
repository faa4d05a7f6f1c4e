import type { WorkflowState } from '@strategos/nestjs';

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface OrderItem {
  readonly sku: string;
  readonly quantity: number;
  readonly price: number;
}

export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly shippingAddress: Address;
}

export interface PaymentResult {
  readonly success: boolean;
  readonly transactionId?: string;
  readonly amount: number;
}

export interface ShipmentInfo {
  readonly trackingNumber: string;
  readonly carrier: string;
}

export interface InventoryReservationInfo {
  readonly reservationId: string;
  readonly skus: readonly string[];
}

export interface DownloadInfo {
  readonly url: string;
}

/** How an order reaches the customer: shipped, or (every item digital) as a download. */
export type Delivery = 'physical' | 'digital';

export enum OrderStatus {
  Pending = 'Pending',
  Validated = 'Validated',
  Paid = 'Paid',
  Shipped = 'Shipped',
  Delivered = 'Delivered',
  Completed = 'Completed',
}

/** The state of the `process-order` workflow. */
export interface OrderState extends WorkflowState {
  readonly order: Order;
  readonly isValid?: boolean;
  /** Set by ValidateOrder; the workflow branches on it (digital orders skip inventory and shipping). */
  readonly delivery?: Delivery;
  readonly payment?: PaymentResult;
  readonly reservation?: InventoryReservationInfo;
  readonly shipment?: ShipmentInfo;
  /** Set by SendDownloadLink for a digital order. */
  readonly download?: DownloadInfo;
  readonly confirmationSent?: boolean;
  /** Set by the compensation steps. */
  readonly refunded?: boolean;
  readonly inventoryReleased?: boolean;
  readonly failureNotified?: boolean;
  /** Set by ValidateOrder: the total is over {@link APPROVAL_LIMIT}, so a manager approves the order before the charge. */
  readonly requiresApproval?: boolean;
  /** Set by the manager's approval of an order over {@link APPROVAL_LIMIT}. */
  readonly approvedBy?: string;
  readonly status: OrderStatus;
}

/** Orders whose total is over this wait for a manager's approval (`manager-approval`) before the charge. */
export const APPROVAL_LIMIT = 1_000;

/** How long a manager has to decide; past it the order fails with `SIGNAL_TIMEOUT` (nothing charged yet). */
export const APPROVAL_TIMEOUT_MS = 48 * 3_600_000;

/** The total an order charges. */
export function orderTotal(order: Order): number {
  return order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

/** The prefix of the SKUs of digital goods (e-books, licences): nothing to reserve or ship. */
export const DIGITAL_SKU_PREFIX = 'DIGITAL-';

/** `digital` when every item is digital, else `physical`. */
export function deliveryOf(order: Order): Delivery {
  return order.items.length > 0 && order.items.every((item) => item.sku.startsWith(DIGITAL_SKU_PREFIX)) ? 'digital' : 'physical';
}
