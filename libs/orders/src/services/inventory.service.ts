import { Inject, Injectable, Optional } from '@nestjs/common';
import type { OrderItem } from '../domain/order';
import { PROVIDER_LATENCY_MS, providerLatency } from './provider-latency';

/** A reservation of stock for one order. */
export interface InventoryReservation {
  readonly reservationId: string;
  readonly skus: readonly string[];
}

/**
 * Reserves stock. The in-process implementation has no stock for SKUs starting with `OOS`, and takes
 * {@link PROVIDER_LATENCY_MS} per reservation (default 0).
 */
@Injectable()
export class InventoryService {
  private readonly reservations = new Map<string, InventoryReservation>();

  constructor(@Optional() @Inject(PROVIDER_LATENCY_MS) private readonly latencyMs: number = 0) {}

  /** Reserves every item, or returns the SKUs out of stock (idempotent per key). */
  async reserve(
    items: readonly OrderItem[],
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<InventoryReservation | { readonly outOfStock: readonly string[] }> {
    await providerLatency(this.latencyMs, signal);
    const outOfStock = items.filter((item) => item.sku.startsWith('OOS')).map((item) => item.sku);
    if (outOfStock.length > 0) return { outOfStock };
    const reservation = this.reservations.get(idempotencyKey) ?? {
      reservationId: `res-${idempotencyKey}`,
      skus: items.map((item) => item.sku),
    };
    this.reservations.set(idempotencyKey, reservation);
    return reservation;
  }

  /** Releases a reservation (idempotent). */
  async release(reservationId: string): Promise<void> {
    for (const [key, reservation] of this.reservations) {
      if (reservation.reservationId === reservationId) this.reservations.delete(key);
    }
  }

  /** Reservations currently held. */
  held(): InventoryReservation[] {
    return [...this.reservations.values()];
  }
}
