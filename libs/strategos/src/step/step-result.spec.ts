import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from './step-result';
import { WorkflowError } from './workflow-error';

interface PaymentState extends WorkflowState {
  readonly paid?: boolean;
  readonly amount?: number;
}

describe('StepResult', () => {
  it('ok() carries the patch it is given', () => {
    expect(StepResult.ok<PaymentState>({ paid: true, amount: 10 })).toEqual({ kind: 'ok', patch: { paid: true, amount: 10 } });
  });

  it('ok() without a patch is a success with an empty update', () => {
    expect(StepResult.ok()).toEqual({ kind: 'ok', patch: {} });
  });

  it('fail() carries the business error', () => {
    const error = WorkflowError.create('PAYMENT_FAILED', 'Payment processing failed');

    expect(StepResult.fail(error)).toEqual({ kind: 'fail', error: { code: 'PAYMENT_FAILED', message: 'Payment processing failed' } });
  });
});

describe('WorkflowError', () => {
  it('creates a frozen error with a code and a message, and no details key when none are given', () => {
    const error = WorkflowError.create('OUT_OF_STOCK', 'Item A is out of stock');

    expect(error).toEqual({ code: 'OUT_OF_STOCK', message: 'Item A is out of stock' });
    expect(Object.keys(error)).toEqual(['code', 'message']);
    expect(Object.isFrozen(error)).toBe(true);
  });

  it('keeps the details it is given', () => {
    expect(WorkflowError.create('OUT_OF_STOCK', 'Out of stock', { sku: 'A', missing: 2 })).toEqual({
      code: 'OUT_OF_STOCK',
      message: 'Out of stock',
      details: { sku: 'A', missing: 2 },
    });
  });
});
