import { Injectable } from '@nestjs/common';
import type { Order } from '../domain/order';

/** Checks an order before anything is charged. */
@Injectable()
export class OrderValidator {
  /** The problems found, empty when the order is valid. */
  validate(order: Order): string[] {
    const problems: string[] = [];
    if (order.items.length === 0) problems.push('the order has no items');
    for (const item of order.items) {
      if (!(item.quantity > 0)) problems.push(`item ${item.sku} has quantity ${item.quantity}`);
      if (!(item.price >= 0)) problems.push(`item ${item.sku} has price ${item.price}`);
    }
    if (!order.shippingAddress?.country) problems.push('the shipping address has no country');
    return problems;
  }
}
