import {
  FulfillOrder,
  ProcessPayment,
  RefundPayment,
  ReleaseInventory,
  ReserveInventory,
  SendConfirmation,
  SendFailureNotification,
  ValidateOrder,
  type OrderState,
} from '@app/orders';
import { Workflow } from '@strategos/nestjs';

/**
 * The framework run's workflow: the order example's five steps one after the other (validate, charge, reserve,
 * ship, confirm), as the floors and BullMQ do them. The order example itself runs the charge and the reservation as a
 * fork; the bench keeps a sequential definition so that its figures stay comparable with the floors and with earlier
 * results.
 */
export const benchOrder = Workflow.create<OrderState>('bench-order')
  .startWith(ValidateOrder)
  .then(ProcessPayment, { compensate: RefundPayment })
  .then(ReserveInventory, { compensate: ReleaseInventory })
  .then(FulfillOrder)
  .onFailure(SendFailureNotification)
  .finally(SendConfirmation);

/** The step classes {@link benchOrder} runs, compensations and the failure notification included. */
export const BENCH_ORDER_STEPS = [
  ValidateOrder,
  ProcessPayment,
  RefundPayment,
  ReserveInventory,
  ReleaseInventory,
  FulfillOrder,
  SendFailureNotification,
  SendConfirmation,
] as const;
