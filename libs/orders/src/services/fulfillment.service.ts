import { Injectable } from '@nestjs/common';
import type { DownloadInfo, Order, ShipmentInfo } from '../domain/order';

/**
 * Ships orders. The in-process implementation derives a tracking number from the order id and
 * cannot ship to country `XX` (null: undeliverable). Digital orders get a download link instead.
 */
@Injectable()
export class FulfillmentService {
  async ship(order: Order, signal?: AbortSignal): Promise<ShipmentInfo | null> {
    signal?.throwIfAborted();
    if (order.shippingAddress.country === 'XX') return null;
    return { trackingNumber: `TRK-${order.orderId}`, carrier: order.shippingAddress.country === 'US' ? 'UPS' : 'DHL' };
  }

  /** Makes the download link of a digital order. */
  async deliverDigital(order: Order, signal?: AbortSignal): Promise<DownloadInfo> {
    signal?.throwIfAborted();
    return { url: `https://downloads.example.com/${order.orderId}` };
  }
}
