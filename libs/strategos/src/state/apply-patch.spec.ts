import { applyPatch } from './apply-patch';
import { deepFreeze } from './deep-freeze';
import { StateUpdateError } from './state-update.error';
import type { JsonObject } from './workflow-state.interface';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('applyPatch', () => {
  const base = (): JsonObject => ({
    workflowId: 'wf-1',
    status: 'Pending',
    payment: { id: 'p1', amount: 10, captured: true },
    tags: ['a', 'b'],
  });

  it('replaces each key of the patch as a whole, without a deep merge', () => {
    const next = applyPatch(base(), { payment: { id: 'p2' }, tags: ['c'] }, 'ProcessPayment');

    expect(next).toEqual({ workflowId: 'wf-1', status: 'Pending', payment: { id: 'p2' }, tags: ['c'] });
  });

  it('adds keys the state did not have and keeps the keys the patch does not name', () => {
    const next = applyPatch(base(), { shipment: { carrier: 'UPS' } }, 'Ship');

    expect(next).toEqual({ ...base(), shipment: { carrier: 'UPS' } });
  });

  it('ignores keys whose value is undefined and keeps null as a value', () => {
    const patch = { status: undefined, payment: null } as unknown as JsonObject;

    const next = applyPatch(base(), patch, 'ProcessPayment');

    expect(next.status).toBe('Pending');
    expect(next.payment).toBeNull();
  });

  it('returns the state itself for an absent patch', () => {
    const state = base();

    expect(applyPatch(state, undefined, 'Noop')).toBe(state);
  });

  it('returns a new object and never mutates the state it is given', () => {
    const state = deepFreeze(base());

    const next = applyPatch(state, { status: 'Paid' }, 'ProcessPayment');

    expect(next).not.toBe(state);
    expect(state.status).toBe('Pending');
    expect(next.status).toBe('Paid');
  });

  it('rejects a patch that changes workflowId with STATE_WORKFLOW_ID_CHANGED, naming the step', () => {
    const thrown = thrownBy(() => applyPatch(base(), { workflowId: 'other' }, 'ProcessPayment'));

    expect(thrown).toBeInstanceOf(StateUpdateError);
    expect(thrown).toMatchObject({
      name: 'StateUpdateError',
      code: 'STATE_WORKFLOW_ID_CHANGED',
      message: expect.stringContaining('ProcessPayment'),
    });
  });

  it('accepts a patch that repeats the same workflowId', () => {
    expect(applyPatch(base(), { workflowId: 'wf-1', status: 'Paid' }, 'Pay')).toEqual({ ...base(), status: 'Paid' });
  });
});
