import { Workflow } from '@strategos/nestjs';
import { APPROVAL_TIMEOUT_MS, type OrderState } from './domain/order';
import { FulfillOrder } from './steps/fulfill-order.step';
import { ProcessPayment } from './steps/process-payment.step';
import { RefundDigitalPayment } from './steps/refund-digital-payment.step';
import { RefundPayment } from './steps/refund-payment.step';
import { ReleaseInventory } from './steps/release-inventory.step';
import { ReserveInventory } from './steps/reserve-inventory.step';
import { SendConfirmation } from './steps/send-confirmation.step';
import { SendDownloadLink } from './steps/send-download-link.step';
import { SendFailureNotification } from './steps/send-failure-notification.step';
import { ValidateOrder } from './steps/validate-order.step';

/**
 * The order saga: validate; an order over the approval limit waits for a manager (`control.approve(id,
 * 'manager-approval', { by })`; a rejection, or 48 hours without a decision, fails it before anything is charged);
 * then by delivery. A physical order charges the customer and reserves the stock at the same time (two fork paths,
 * on their own queues and workers), and ships once both are done (the join). A digital order (every item digital) is
 * charged, then gets its download link. Confirm. A failure undoes what completed: the charge is refunded, the
 * reservation released (in reverse order of completion, whichever path they ran on), and the customer is told.
 */
export const processOrder = Workflow.create<OrderState>('process-order')
  .startWith(ValidateOrder)
  .awaitApproval('manager-approval', {
    when: (s) => s.requiresApproval === true,
    timeoutMs: APPROVAL_TIMEOUT_MS,
    apply: (_s, decision) => ({ approvedBy: decision.by ?? 'unknown' }),
  })
  .branch((s) => s.delivery ?? 'physical', {
    physical: (b) =>
      b
        .fork(
          (p) => p.then(ProcessPayment, { compensate: RefundPayment }),
          (p) => p.then(ReserveInventory, { compensate: ReleaseInventory }),
        )
        .join(FulfillOrder),
    // The same charge under its own name: a step name runs at one place of a workflow.
    digital: (b) => b.then(ProcessPayment, { name: 'ProcessDigitalPayment', compensate: RefundDigitalPayment }).then(SendDownloadLink),
  })
  .onFailure(SendFailureNotification)
  .finally(SendConfirmation);
