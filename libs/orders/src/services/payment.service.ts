import { Injectable } from '@nestjs/common';
import type { PaymentResult } from '../domain/order';

/** Charges customers. The in-process implementation declines customers whose id starts with `declined`. */
@Injectable()
export class PaymentService {
  private readonly charges = new Map<string, PaymentResult>();

  /** Charges once per idempotency key: a retried or redelivered step gets the first result back. */
  async charge(customerId: string, amount: number, idempotencyKey: string, signal?: AbortSignal): Promise<PaymentResult> {
    signal?.throwIfAborted();
    const existing = this.charges.get(idempotencyKey);
    if (existing) return existing;
    const result: PaymentResult = customerId.startsWith('declined')
      ? { success: false, amount }
      : { success: true, amount, transactionId: `txn-${idempotencyKey}` };
    this.charges.set(idempotencyKey, result);
    return result;
  }

  /** Refunds a charge (idempotent). */
  async refund(transactionId: string): Promise<void> {
    for (const [key, charge] of this.charges) {
      if (charge.transactionId === transactionId) this.charges.set(key, { ...charge, success: false });
    }
  }
}
