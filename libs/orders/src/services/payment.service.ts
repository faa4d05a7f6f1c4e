import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PaymentResult } from '../domain/order';
import { PROVIDER_LATENCY_MS, providerLatency } from './provider-latency';

/**
 * Charges customers. The in-process implementation declines customers whose id starts with `declined`, and takes
 * {@link PROVIDER_LATENCY_MS} per charge (default 0).
 */
@Injectable()
export class PaymentService {
  private readonly charges = new Map<string, PaymentResult>();

  constructor(@Optional() @Inject(PROVIDER_LATENCY_MS) private readonly latencyMs: number = 0) {}

  /** Charges once per idempotency key: a retried or redelivered step gets the first result back. */
  async charge(customerId: string, amount: number, idempotencyKey: string, signal?: AbortSignal): Promise<PaymentResult> {
    await providerLatency(this.latencyMs, signal);
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
