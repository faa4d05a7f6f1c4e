/**
 * Compile-time tests of the control-flow DSL: branch cases are exhaustive over a union, conditions see the
 * state type, an ended sub-flow takes nothing more. Type-checked by `npm run typecheck`, never run.
 */
import { Reducers } from '../../src/definition/reducers';
import { Workflow } from '../../src/definition/workflow';
import type { WorkflowDefinition } from '../../src/definition/workflow-definition';
import type { WorkflowState } from '../../src/state/workflow-state.interface';
import { StepResult } from '../../src/step/step-result';
import type { WorkflowStep } from '../../src/step/workflow-step.interface';
import type { InvoiceState } from './order-like-state';

interface LoanState extends WorkflowState {
  readonly riskBand: 'low' | 'medium' | 'high';
  readonly amount: number;
  readonly documentsComplete?: boolean;
  readonly express?: boolean;
}

class Score implements WorkflowStep<LoanState> {
  execute(): StepResult<LoanState> {
    return StepResult.ok({ riskBand: 'low' });
  }
}

class Approve implements WorkflowStep<LoanState> {
  execute(): StepResult<LoanState> {
    return StepResult.ok();
  }
}

class Review implements WorkflowStep<LoanState> {
  execute(): StepResult<LoanState> {
    return StepResult.ok();
  }
}

class IssueInvoice implements WorkflowStep<InvoiceState> {
  execute(): StepResult<InvoiceState> {
    return StepResult.ok<InvoiceState>({ invoiceNumber: 1 });
  }
}

// Positive: every case of the union; some cases and otherwise; booleans; nesting, loops, guards, early ends.
export const exhaustive: WorkflowDefinition<LoanState> = Workflow.create<LoanState>('loan')
  .startWith(Score)
  .validateState((s) => s.amount > 0, 'AMOUNT_NOT_POSITIVE', 'the amount must be positive')
  .branch((s) => s.riskBand, {
    low: (b) => b.then(Approve),
    medium: (b) => b.then(Review).branch((s) => s.express === true, { true: (c) => c.complete(), false: (c) => c.then(Approve) }),
    high: (b) => b.then(Review, { name: 'ManualReview' }).fail('TOO_RISKY', 'high risk'),
  })
  .repeatUntil(
    (s) => s.documentsComplete === true,
    'collect-documents',
    (b) => b.then(Review, { name: 'RequestDocument' }),
    {
      maxIterations: 5,
    },
  )
  .onFailure((f) => f.then(Review, { name: 'NotifyApplicant' }).then(Approve, { name: 'CloseFile' }))
  .finally(Approve, { name: 'SendDecision' });

export const withOtherwise = Workflow.create<LoanState>('loan-2')
  .startWith(Score)
  .branch((s) => s.riskBand, { low: (b) => b.then(Approve), otherwise: (b) => b.then(Review) })
  .finally(Approve, { name: 'Decide' });

const started = Workflow.create<LoanState>('x').startWith(Score);

// @ts-expect-error -- the case 'high' is missing and there is no otherwise
started.branch((s) => s.riskBand, { low: (b) => b.then(Approve), medium: (b) => b.then(Review) });

// @ts-expect-error -- a case for a value the discriminator never returns
started.branch((s) => s.riskBand, { low: (b) => b, medium: (b) => b, high: (b) => b, huge: (b) => b });

// @ts-expect-error -- a condition reads a field the state does not have
started.validateState((s) => s.missing === 1, 'X', 'x');

// @ts-expect-error -- a step of another state inside a case
started.branch((s) => s.riskBand, { otherwise: (b) => b.then(IssueInvoice) });

// @ts-expect-error -- nothing may follow complete()
started.branch((s) => s.riskBand, { otherwise: (b) => b.complete().then(Approve) });

const noOptions = {};
// prettier-ignore
// @ts-expect-error -- repeatUntil needs maxIterations
started.repeatUntil(() => true, 'again', (b) => b.then(Review), noOptions);

// --- fork/join ---

interface ParallelState extends WorkflowState {
  readonly checks?: string[];
  readonly scores?: Record<string, number>;
  readonly total?: number;
}

class Check implements WorkflowStep<ParallelState> {
  execute(): StepResult<ParallelState> {
    return StepResult.ok({ checks: ['x'] });
  }
}

// Reducers by key, typed by the state: append for arrays, merge for objects, a custom function of the key's type.
export const forked: WorkflowDefinition<ParallelState> = Workflow.create<ParallelState>('forked', {
  reducers: { checks: Reducers.append, scores: Reducers.merge, total: (a, b) => a + b },
})
  .startWith(Check)
  .fork(
    (p) => p.then(Check, { name: 'CheckA' }),
    (p) =>
      p
        .then(Check, { name: 'CheckB' })
        .branch((s) => (s.total ?? 0) > 1, { true: (b) => b.then(Check, { name: 'Big' }), false: (b) => b.then(Check, { name: 'Small' }) }),
  )
  .join(Check, { name: 'Joined' })
  .finally(Check, { name: 'Done' });

// @ts-expect-error a custom reducer must return the key's type
Workflow.create<ParallelState>('bad', { reducers: { total: (a: number, b: number) => `${a + b}` } });

// fork() must be followed by join(): a pending fork has no then()
Workflow.create<ParallelState>('bad')
  .startWith(Check)
  .fork(
    (p) => p.then(Check, { name: 'A' }),
    (p) => p.then(Check, { name: 'B' }),
  )
  // @ts-expect-error then() on a fork without its join
  .then(Check);
