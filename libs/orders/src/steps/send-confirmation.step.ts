import { evolve, Step, type StepResult, type WorkflowStep } from '@strategos/nestjs';
import { OrderStatus, type OrderState } from '../domain/order';
import { NotificationService } from '../services/notification.service';

/** Tells the customer the order is on its way; the terminal step. */
@Step({ name: 'SendConfirmation' })
export class SendConfirmation implements WorkflowStep<OrderState> {
  constructor(private readonly notifications: NotificationService) {}

  async execute(state: Readonly<OrderState>): Promise<StepResult<OrderState>> {
    await this.notifications.send({
      customerId: state.order.customerId,
      orderId: state.order.orderId,
      kind: 'confirmation',
      text: `Order ${state.order.orderId} shipped with ${state.shipment?.carrier} (${state.shipment?.trackingNumber})`,
    });
    return evolve(state).with('confirmationSent', true).with('status', OrderStatus.Completed).asResult();
  }
}
