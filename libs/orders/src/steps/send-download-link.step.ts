import { evolve, Step, StepResult, type StepContext, type WorkflowStep } from '@strategos/nestjs';
import { OrderStatus, type OrderState } from '../domain/order';
import { FulfillmentService } from '../services/fulfillment.service';

/** Delivers a digital order: its download link instead of a reservation and a shipment. */
@Step({ name: 'SendDownloadLink' })
export class SendDownloadLink implements WorkflowStep<OrderState> {
  constructor(private readonly fulfillment: FulfillmentService) {}

  async execute(state: Readonly<OrderState>, _context: StepContext, signal: AbortSignal): Promise<StepResult<OrderState>> {
    const download = await this.fulfillment.deliverDigital(state.order, signal);
    return evolve(state).with('download', download).with('status', OrderStatus.Delivered).asResult();
  }
}
