import { FulfillmentService } from './services/fulfillment.service';
import { NotificationService } from './services/notification.service';
import { OrderValidator } from './services/order-validator';
import { PaymentService } from './services/payment.service';
import { FulfillOrder } from './steps/fulfill-order.step';
import { ProcessPayment } from './steps/process-payment.step';
import { SendConfirmation } from './steps/send-confirmation.step';
import { ValidateOrder } from './steps/validate-order.step';

/** The services the order steps depend on (in-process implementations). */
export const ORDER_SERVICES = [OrderValidator, PaymentService, FulfillmentService, NotificationService] as const;

/** The step classes of the order workflow. */
export const ORDER_STEPS = [ValidateOrder, ProcessPayment, FulfillOrder, SendConfirmation] as const;
