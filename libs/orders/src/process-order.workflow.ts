import { Workflow } from '@strategos/nestjs';
import type { OrderState } from './domain/order';
import { FulfillOrder } from './steps/fulfill-order.step';
import { ProcessPayment } from './steps/process-payment.step';
import { SendConfirmation } from './steps/send-confirmation.step';
import { ValidateOrder } from './steps/validate-order.step';

/** The order workflow: validate, charge, ship, confirm. */
export const processOrder = Workflow.create<OrderState>('process-order')
  .startWith(ValidateOrder)
  .then(ProcessPayment)
  .then(FulfillOrder)
  .finally(SendConfirmation);
