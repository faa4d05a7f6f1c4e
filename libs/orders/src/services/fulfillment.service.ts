import { Injectable } from '@nestjs/common';
import type { Order, ShipmentInfo } from '../domain/order';

/** Ships orders. The in-process implementation derives a tracking number from the order id. */
@Injectable()
export class FulfillmentService {
  async ship(order: Order, signal?: AbortSignal): Promise<ShipmentInfo> {
    signal?.throwIfAborted();
    return { trackingNumber: `TRK-${order.orderId}`, carrier: order.shippingAddress.country === 'US' ? 'UPS' : 'DHL' };
  }
}
