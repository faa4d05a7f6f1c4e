import { evolve, Step, StepResult, WorkflowError, type StepContext, type WorkflowStep } from '@strategos/nestjs';
import { OrderStatus, orderTotal, type OrderState } from '../domain/order';
import { PaymentService } from '../services/payment.service';

/** Charges the customer (`PAYMENT_FAILED` when declined). */
@Step({ name: 'ProcessPayment', timeoutMs: 30_000, retry: { maxAttempts: 5, initialDelayMs: 100, multiplier: 2, maxDelayMs: 10_000 } })
export class ProcessPayment implements WorkflowStep<OrderState> {
  constructor(private readonly payments: PaymentService) {}

  async execute(state: Readonly<OrderState>, context: StepContext, signal: AbortSignal): Promise<StepResult<OrderState>> {
    const payment = await this.payments.charge(state.order.customerId, orderTotal(state.order), context.idempotencyKey, signal);
    if (!payment.success) return StepResult.fail(WorkflowError.create('PAYMENT_FAILED', 'Payment processing failed'));
    return evolve(state).with('payment', payment).with('status', OrderStatus.Paid).asResult();
  }
}
