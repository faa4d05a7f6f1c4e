/**
 * Compile-time tests of StepResult and WorkflowError: type-checked by `npm run typecheck`, never run.
 */
import { StepResult } from '../../src/step/step-result';
import { WorkflowError } from '../../src/step/workflow-error';
import { OrderLikeStatus, type OrderLikeState } from './order-like-state';

// Positive: a partial update of known keys, an empty update, a failure.
export const ok = StepResult.ok<OrderLikeState>({ status: OrderLikeStatus.Paid, payment: { id: 'p-1', amount: 10 } });
export const empty = StepResult.ok<OrderLikeState>();
export const failed: StepResult<OrderLikeState> = StepResult.fail(
  WorkflowError.create('PAYMENT_FAILED', 'Payment processing failed', { attempt: 1 }),
);

// @ts-expect-error -- 'wrong' is not a key of the state
StepResult.ok<OrderLikeState>({ wrong: 1 });

// @ts-expect-error -- status has the wrong type
StepResult.ok<OrderLikeState>({ status: 42 });

// @ts-expect-error -- workflowId is not part of an update
StepResult.ok<OrderLikeState>({ workflowId: 'other' });

// @ts-expect-error -- details are JSON: a function is not
WorkflowError.create('CODE', 'message', { callback: () => undefined });

// @ts-expect-error -- a business failure needs a WorkflowError, not a bare string
StepResult.fail('PAYMENT_FAILED');
