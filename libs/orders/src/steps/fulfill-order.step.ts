import { evolve, Step, type StepResult, type WorkflowStep } from '@strategos/nestjs';
import { OrderStatus, type OrderState } from '../domain/order';
import { FulfillmentService } from '../services/fulfillment.service';

/** Ships the order. */
@Step({ name: 'FulfillOrder' })
export class FulfillOrder implements WorkflowStep<OrderState> {
  constructor(private readonly fulfillment: FulfillmentService) {}

  async execute(state: Readonly<OrderState>, _context: unknown, signal: AbortSignal): Promise<StepResult<OrderState>> {
    const shipment = await this.fulfillment.ship(state.order, signal);
    return evolve(state).with('shipment', shipment).with('status', OrderStatus.Shipped).asResult();
  }
}
