import { evolve, Step, type StepResult, type WorkflowStep } from '@strategos/nestjs';
import type { OrderState } from '../domain/order';
import { PaymentService } from '../services/payment.service';

/** Compensates ProcessPayment: refunds the charge. */
@Step({ name: 'RefundPayment' })
export class RefundPayment implements WorkflowStep<OrderState> {
  constructor(private readonly payments: PaymentService) {}

  async execute(state: Readonly<OrderState>): Promise<StepResult<OrderState>> {
    if (state.payment?.transactionId) await this.payments.refund(state.payment.transactionId);
    return evolve(state).with('refunded', true).asResult();
  }
}
