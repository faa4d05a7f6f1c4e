import { evolve, Step, StepResult, WorkflowError, type StepContext, type WorkflowStep } from '@strategos/nestjs';
import type { OrderState } from '../domain/order';
import { InventoryService } from '../services/inventory.service';

/** Reserves the items (`OUT_OF_STOCK` when one is missing). */
@Step({ name: 'ReserveInventory' })
export class ReserveInventory implements WorkflowStep<OrderState> {
  constructor(private readonly inventory: InventoryService) {}

  async execute(state: Readonly<OrderState>, context: StepContext, signal: AbortSignal): Promise<StepResult<OrderState>> {
    const result = await this.inventory.reserve(state.order.items, context.idempotencyKey, signal);
    if ('outOfStock' in result)
      return StepResult.fail(
        WorkflowError.create('OUT_OF_STOCK', `Out of stock: ${result.outOfStock.join(', ')}`, { skus: [...result.outOfStock] }),
      );
    return evolve(state)
      .with('reservation', { reservationId: result.reservationId, skus: [...result.skus] })
      .asResult();
  }
}
