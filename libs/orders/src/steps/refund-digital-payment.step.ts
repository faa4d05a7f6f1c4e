import { Step } from '@strategos/nestjs';
import { RefundPayment } from './refund-payment.step';

/**
 * Compensates the charge of a digital order (`ProcessDigitalPayment`): the same refund as {@link RefundPayment}, under
 * its own step name, because a step name runs at one place of a workflow and the physical orders' fork has
 * `RefundPayment`.
 */
@Step({ name: 'RefundDigitalPayment' })
export class RefundDigitalPayment extends RefundPayment {}
