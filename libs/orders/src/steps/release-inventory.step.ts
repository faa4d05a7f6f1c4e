import { evolve, Step, type StepResult, type WorkflowStep } from '@strategos/nestjs';
import type { OrderState } from '../domain/order';
import { InventoryService } from '../services/inventory.service';

/** Compensates ReserveInventory: releases the reservation. */
@Step({ name: 'ReleaseInventory' })
export class ReleaseInventory implements WorkflowStep<OrderState> {
  constructor(private readonly inventory: InventoryService) {}

  async execute(state: Readonly<OrderState>): Promise<StepResult<OrderState>> {
    if (state.reservation) await this.inventory.release(state.reservation.reservationId);
    return evolve(state).with('inventoryReleased', true).asResult();
  }
}
