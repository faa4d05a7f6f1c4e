import { PaymentService, type Order, type OrderState } from '@app/orders';
import type { DeadLetters, StrategosTestHarness, WorkflowControl, WorkflowQuery, WorkflowStarter } from '@strategos/nestjs';

/*
 * What the READMEs' fragments take from their surroundings without showing it (readme-examples.spec.ts imports
 * these into a block that uses them). Only values a reader would have at hand belong here.
 */
export declare const starter: WorkflowStarter;
export declare const query: WorkflowQuery;
export declare const control: WorkflowControl;
export declare const deadLetters: DeadLetters;
export declare const harness: StrategosTestHarness;
/** A run's id. */
export declare const id: string;
/** An order and a run's initial state, as the order example builds them. */
export declare const order: Order;
export declare const initial: OrderState;
/** A date for `startedAfter`. */
export declare const yesterday: Date;
/** A fake of the order example's payment service, as a reader writes one for a unit test. */
export declare class FakePaymentService extends PaymentService {}
