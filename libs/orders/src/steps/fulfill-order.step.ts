import { evolve, Step, StepResult, WorkflowError, type StepContext, type WorkflowStep } from '@strategos/nestjs';
import { OrderStatus, type OrderState } from '../domain/order';
import { FulfillmentService } from '../services/fulfillment.service';

/** Ships the order (`FULFILLMENT_FAILED` when the address is undeliverable). */
@Step({ name: 'FulfillOrder' })
export class FulfillOrder implements WorkflowStep<OrderState> {
  constructor(private readonly fulfillment: FulfillmentService) {}

  async execute(state: Readonly<OrderState>, _context: StepContext, signal: AbortSignal): Promise<StepResult<OrderState>> {
    const shipment = await this.fulfillment.ship(state.order, signal);
    if (!shipment)
      return StepResult.fail(
        WorkflowError.create(
          'FULFILLMENT_FAILED',
          `Order ${state.order.orderId} cannot be shipped to ${state.order.shippingAddress.country}`,
        ),
      );
    return evolve(state).with('shipment', shipment).with('status', OrderStatus.Shipped).asResult();
  }
}
