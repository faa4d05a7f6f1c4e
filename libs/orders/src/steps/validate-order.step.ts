import { evolve, Step, StepResult, WorkflowError, type WorkflowStep } from '@strategos/nestjs';
import { APPROVAL_LIMIT, deliveryOf, orderTotal, OrderStatus, type OrderState } from '../domain/order';
import { OrderValidator } from '../services/order-validator';

/** Rejects orders that cannot be processed (`ORDER_INVALID`) and records how the order is delivered. */
@Step({ name: 'ValidateOrder' })
export class ValidateOrder implements WorkflowStep<OrderState> {
  constructor(private readonly validator: OrderValidator) {}

  async execute(state: Readonly<OrderState>): Promise<StepResult<OrderState>> {
    const problems = this.validator.validate(state.order);
    if (problems.length > 0)
      return StepResult.fail(WorkflowError.create('ORDER_INVALID', `Order ${state.order.orderId} is invalid: ${problems.join('; ')}`));
    return evolve(state)
      .with('isValid', true)
      .with('delivery', deliveryOf(state.order))
      .with('requiresApproval', orderTotal(state.order) > APPROVAL_LIMIT)
      .with('status', OrderStatus.Validated)
      .asResult();
  }
}
