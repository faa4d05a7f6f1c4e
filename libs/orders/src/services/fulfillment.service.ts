import { Injectable } from '@nestjs/common';
import type { Order, ShipmentInfo } from '../domain/order';

/**
 * Ships orders. The in-process implementation derives a tracking number from the order id and
 * cannot ship to country `XX` (null: undeliverable).
 */
@Injectable()
export class FulfillmentService {
  async ship(order: Order, signal?: AbortSignal): Promise<ShipmentInfo | null> {
    signal?.throwIfAborted();
    if (order.shippingAddress.country === 'XX') return null;
    return { trackingNumber: `TRK-${order.orderId}`, carrier: order.shippingAddress.country === 'US' ? 'UPS' : 'DHL' };
  }
}
