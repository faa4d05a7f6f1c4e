import { FulfillmentService } from './services/fulfillment.service';
import { InventoryService } from './services/inventory.service';
import { NotificationService } from './services/notification.service';
import { OrderValidator } from './services/order-validator';
import { PaymentService } from './services/payment.service';
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

/** The services the order steps depend on (in-process implementations). */
export const ORDER_SERVICES = [OrderValidator, PaymentService, InventoryService, FulfillmentService, NotificationService] as const;

/** The step classes of the order workflow, compensations and failure notification included. */
export const ORDER_STEPS = [
  ValidateOrder,
  ProcessPayment,
  RefundPayment,
  RefundDigitalPayment,
  ReserveInventory,
  ReleaseInventory,
  FulfillOrder,
  SendDownloadLink,
  SendFailureNotification,
  SendConfirmation,
] as const;
