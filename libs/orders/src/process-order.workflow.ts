import { Workflow } from '@strategos/nestjs';
import type { OrderState } from './domain/order';
import { FulfillOrder } from './steps/fulfill-order.step';
import { ProcessPayment } from './steps/process-payment.step';
import { RefundPayment } from './steps/refund-payment.step';
import { ReleaseInventory } from './steps/release-inventory.step';
import { ReserveInventory } from './steps/reserve-inventory.step';
import { SendConfirmation } from './steps/send-confirmation.step';
import { SendFailureNotification } from './steps/send-failure-notification.step';
import { ValidateOrder } from './steps/validate-order.step';

/**
 * The order saga: validate, charge, reserve, ship, confirm. A failure after the charge refunds it, one
 * after the reservation releases it (in reverse order), and the customer is told.
 */
export const processOrder = Workflow.create<OrderState>('process-order')
  .startWith(ValidateOrder)
  .then(ProcessPayment, { compensate: RefundPayment })
  .then(ReserveInventory, { compensate: ReleaseInventory })
  .then(FulfillOrder)
  .onFailure(SendFailureNotification)
  .finally(SendConfirmation);
