import { Workflow } from '@strategos/nestjs';
import { APPROVAL_TIMEOUT_MS, type OrderState } from './domain/order';
import { FulfillOrder } from './steps/fulfill-order.step';
import { ProcessPayment } from './steps/process-payment.step';
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
 * charge, then by delivery: reserve and ship a physical order, or send the download
 * link of a digital one (every item digital); confirm. A failure after the charge refunds it, one after the
 * reservation releases it (in reverse order), and the customer is told.
 */
export const processOrder = Workflow.create<OrderState>('process-order')
  .startWith(ValidateOrder)
  .awaitApproval('manager-approval', {
    when: (s) => s.requiresApproval === true,
    timeoutMs: APPROVAL_TIMEOUT_MS,
    apply: (_s, decision) => ({ approvedBy: decision.by ?? 'unknown' }),
  })
  .then(ProcessPayment, { compensate: RefundPayment })
  .branch((s) => s.delivery ?? 'physical', {
    physical: (b) => b.then(ReserveInventory, { compensate: ReleaseInventory }).then(FulfillOrder),
    digital: (b) => b.then(SendDownloadLink),
  })
  .onFailure(SendFailureNotification)
  .finally(SendConfirmation);
