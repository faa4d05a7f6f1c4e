import { StepResult } from '../step/step-result';
import { deepFreeze } from './deep-freeze';
import { evolve } from './evolve';
import type { WorkflowState } from './workflow-state.interface';

enum OrderStatus {
  Pending = 'Pending',
  Paid = 'Paid',
}

interface OrderLikeState extends WorkflowState {
  readonly status: OrderStatus;
  readonly total: number;
  readonly payment?: { readonly id: string; readonly amount: number };
  readonly lines: readonly string[];
}

describe('evolve', () => {
  const initial = (): OrderLikeState => ({ workflowId: 'wf-1', status: OrderStatus.Pending, total: 30, lines: ['a'] });

  it('yields a successful StepResult with exactly the keys given to with()', () => {
    const payment = { id: 'p1', amount: 30 };

    const result = evolve(initial()).with('payment', payment).with('status', OrderStatus.Paid).asResult();

    expect(result).toEqual({ kind: 'ok', patch: { payment, status: OrderStatus.Paid } });
    expect(result).toEqual(StepResult.ok<OrderLikeState>({ payment, status: OrderStatus.Paid }));
  });

  it('keeps the last value when a key is set twice', () => {
    const patch = evolve(initial()).with('total', 1).with('total', 2).toPatch();

    expect(patch).toEqual({ total: 2 });
  });

  it('yields an empty patch when nothing is set', () => {
    expect(evolve(initial()).asResult()).toEqual({ kind: 'ok', patch: {} });
  });

  it('never mutates the state, even when it is not frozen', () => {
    const state = initial();
    const snapshot = structuredClone(state);

    evolve(state).with('status', OrderStatus.Paid).with('lines', ['b']).asResult();

    expect(state).toEqual(snapshot);
  });

  it('works on a deep-frozen state', () => {
    const state = deepFreeze(initial());

    const next = evolve(state).with('status', OrderStatus.Paid).toState();

    expect(next).toEqual({ ...initial(), status: OrderStatus.Paid });
    expect(state.status).toBe(OrderStatus.Pending);
  });

  it('returns a new builder from with(), leaving the earlier builder unchanged', () => {
    const start = evolve(initial());
    const paid = start.with('status', OrderStatus.Paid);

    expect(start.toPatch()).toEqual({});
    expect(paid.toPatch()).toEqual({ status: OrderStatus.Paid });
  });

  it('hands out a copy of its patch, so editing it does not change the builder', () => {
    const builder = evolve(initial()).with('total', 5);
    const patch = builder.toPatch() as { total?: number };

    patch.total = 99;

    expect(builder.toPatch()).toEqual({ total: 5 });
  });

  it('gives the full next state from toState()', () => {
    expect(evolve(initial()).with('total', 40).toState()).toEqual({ ...initial(), total: 40 });
  });
});
