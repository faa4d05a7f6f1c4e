import { PaymentService, type Order, type OrderState } from '@app/orders';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type {
  DeadLetters,
  StepResult,
  StrategosTestHarness,
  WorkflowControl,
  WorkflowQuery,
  WorkflowStarter,
  WorkflowState,
  WorkflowStep,
} from '@strategos/nestjs';

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
/** The application's root module, as in "Your first workflow in a new Nest app". */
export declare class AppModule {}
/** The application's own guard for the dashboard. */
export declare class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean;
}

/** The control-flow example's loan application: its state and its steps, as a reader writes them. */
export interface LoanState extends WorkflowState {
  readonly amount: number;
  readonly riskBand: 'low' | 'medium' | 'high';
  readonly documentsComplete: boolean;
}
declare class LoanStep implements WorkflowStep<LoanState> {
  execute(state: Readonly<LoanState>): Promise<StepResult<LoanState>>;
}
export declare class ScoreApplicant extends LoanStep {}
export declare class AutoApprove extends LoanStep {}
export declare class ManualReview extends LoanStep {}
export declare class RejectApplication extends LoanStep {}
export declare class RequestDocument extends LoanStep {}
export declare class WithdrawRequest extends LoanStep {}
export declare class CheckDocuments extends LoanStep {}
export declare class Disburse extends LoanStep {}
export declare class Reverse extends LoanStep {}
export declare class NotifyApplicant extends LoanStep {}
export declare class CloseFile extends LoanStep {}
export declare class SendDecisionLetter extends LoanStep {}
