import { evolve, Step, type StepResult, type WorkflowStep } from '@strategos/nestjs';
import type { OrderState } from '../domain/order';
import { NotificationService } from '../services/notification.service';

/** The failure path's last word: tells the customer the order could not be completed. */
@Step({ name: 'SendFailureNotification' })
export class SendFailureNotification implements WorkflowStep<OrderState> {
  constructor(private readonly notifications: NotificationService) {}

  async execute(state: Readonly<OrderState>): Promise<StepResult<OrderState>> {
    await this.notifications.send({
      customerId: state.order.customerId,
      orderId: state.order.orderId,
      kind: 'failure',
      text: `Order ${state.order.orderId} could not be completed${state.refunded ? '; your payment was refunded' : ''}`,
    });
    return evolve(state).with('failureNotified', true).asResult();
  }
}
