/**
 * Compile-time tests of the workflow DSL: the state type flows from Workflow.create<S>() to every step.
 * Type-checked by `npm run typecheck`, never run.
 */
import { Workflow } from '../../src/definition/workflow';
import type { WorkflowDefinition } from '../../src/definition/workflow-definition';
import type { WorkflowState } from '../../src/state/workflow-state.interface';
import type { StepContext } from '../../src/step/step-context.interface';
import { StepResult } from '../../src/step/step-result';
import { WorkflowError } from '../../src/step/workflow-error';
import type { WorkflowStep } from '../../src/step/workflow-step.interface';
import { type InvoiceState, OrderLikeStatus, type OrderLikeState } from './order-like-state';

class ValidateOrder implements WorkflowStep<OrderLikeState> {
  execute(state: Readonly<OrderLikeState>): StepResult<OrderLikeState> {
    return StepResult.ok({ note: `${state.order.items.length} items` });
  }
}

class ProcessPayment implements WorkflowStep<OrderLikeState> {
  async execute(state: Readonly<OrderLikeState>, context: StepContext, signal: AbortSignal): Promise<StepResult<OrderLikeState>> {
    signal.throwIfAborted();
    return StepResult.ok({ payment: { id: context.idempotencyKey, amount: state.order.items.length }, status: OrderLikeStatus.Paid });
  }
}

/** Works for any workflow: it only reads workflowId. */
class AuditStep implements WorkflowStep<WorkflowState> {
  execute(state: Readonly<WorkflowState>): StepResult<WorkflowState> {
    return state.workflowId ? StepResult.ok() : StepResult.fail(WorkflowError.create('NO_ID', 'The workflow has no id'));
  }
}

/** Returns the update of another workflow's state. */
class IssueInvoice implements WorkflowStep<InvoiceState> {
  execute(): StepResult<InvoiceState> {
    return StepResult.ok<InvoiceState>({ invoiceNumber: 1 });
  }
}

/** Not declared as a WorkflowStep, and returns a status of the wrong type. */
class WrongStatus {
  async execute(): Promise<StepResult<WorkflowState & { readonly status?: string }>> {
    return StepResult.ok<WorkflowState & { readonly status?: string }>({ status: 'shipped' });
  }
}

/** Returns something that is not a StepResult at all. */
class ReturnsNothing {
  async execute(): Promise<void> {}
}

// Positive: steps of the state and generic steps, compensations and onFailure, build() and finally().
export const processOrder: WorkflowDefinition<OrderLikeState> = Workflow.create<OrderLikeState>('process-order')
  .startWith(ValidateOrder)
  .then(ProcessPayment, { compensate: AuditStep, retry: { maxAttempts: 5 }, timeoutMs: 1_000 })
  .onFailure(AuditStep)
  .finally(AuditStep);
export const built: WorkflowDefinition<OrderLikeState> = Workflow.create<OrderLikeState>('built').startWith(ValidateOrder).build();

// @ts-expect-error -- a step of another workflow's state
Workflow.create<OrderLikeState>('x').startWith(IssueInvoice);

// @ts-expect-error -- a step whose update sets status to a string instead of OrderLikeStatus
Workflow.create<OrderLikeState>('x').startWith(WrongStatus);

// @ts-expect-error -- then() checks the state type too
Workflow.create<OrderLikeState>('x').startWith(ValidateOrder).then(IssueInvoice);

// @ts-expect-error -- so does a compensation
Workflow.create<OrderLikeState>('x').startWith(ValidateOrder, { compensate: IssueInvoice });

// @ts-expect-error -- and onFailure
Workflow.create<OrderLikeState>('x').onFailure(IssueInvoice);

// @ts-expect-error -- and finally()
Workflow.create<OrderLikeState>('x').startWith(ValidateOrder).finally(IssueInvoice);

// @ts-expect-error -- execute must return a StepResult
Workflow.create<OrderLikeState>('x').startWith(ReturnsNothing);

// @ts-expect-error -- an unknown retry option
Workflow.create<OrderLikeState>('x').startWith(ValidateOrder, { retry: { attempts: 3 } });

// @ts-expect-error -- the definition keeps its state type: it is not a definition of another state
export const mislabelled: WorkflowDefinition<InvoiceState> = processOrder;
