import { deepFreeze } from './deep-freeze';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays at every depth and returns the same reference', () => {
    const state = { workflowId: 'wf-1', order: { items: [{ sku: 'A', tags: ['x'] }], customer: { address: { city: 'Oslo' } } } };

    const frozen = deepFreeze(state);

    expect(frozen).toBe(state);
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.order)).toBe(true);
    expect(Object.isFrozen(state.order.items)).toBe(true);
    expect(Object.isFrozen(state.order.items[0])).toBe(true);
    expect(Object.isFrozen(state.order.items[0].tags)).toBe(true);
    expect(Object.isFrozen(state.order.customer.address)).toBe(true);
  });

  it('freezes the children of an object that was only frozen at the top', () => {
    const nested = { items: [1, 2] };
    const shallow = Object.freeze({ workflowId: 'wf-1', nested });

    deepFreeze(shallow);

    expect(Object.isFrozen(nested)).toBe(true);
    expect(Object.isFrozen(nested.items)).toBe(true);
  });

  it('terminates on a cyclic structure', () => {
    const node: { name: string; self?: unknown; list: unknown[] } = { name: 'a', list: [] };
    node.self = node;
    node.list.push(node);

    deepFreeze(node);

    expect(Object.isFrozen(node)).toBe(true);
    expect(Object.isFrozen(node.list)).toBe(true);
  });

  it('returns primitives and null unchanged', () => {
    expect(deepFreeze(42)).toBe(42);
    expect(deepFreeze('text')).toBe('text');
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze(undefined)).toBeUndefined();
  });

  it('makes a step that mutates the state it receives throw a TypeError (strict mode)', () => {
    class MutatingStep {
      execute(state: { workflowId: string; order: { total: number; items: number[] } }): void {
        state.order.total = 0;
      }
    }
    class PushingStep {
      execute(state: { workflowId: string; order: { total: number; items: number[] } }): void {
        state.order.items.push(3);
      }
    }
    const state = deepFreeze({ workflowId: 'wf-1', order: { total: 10, items: [1, 2] } });

    expect(() => new MutatingStep().execute(state)).toThrow(TypeError);
    expect(() => new PushingStep().execute(state)).toThrow(TypeError);
    expect(state.order).toEqual({ total: 10, items: [1, 2] });
  });
  it('freezes what a later state adds to the parts it shares with a frozen state', () => {
    const first = deepFreeze({ workflowId: 'wf-1', order: { items: [1] } });
    const next = { ...first, payment: { card: { last4: '4242' } } };

    deepFreeze(next);

    expect(Object.isFrozen(next)).toBe(true);
    expect(Object.isFrozen(next.payment)).toBe(true);
    expect(Object.isFrozen(next.payment.card)).toBe(true);
    expect(next.order).toBe(first.order);
  });

  it('leaves nothing marked as frozen when freezing fails part-way, so a later call fails too', () => {
    const state = { workflowId: 'wf-1', nested: { bytes: new Uint8Array([1]) } };

    expect(() => deepFreeze(state)).toThrow(TypeError);
    expect(() => deepFreeze(state)).toThrow(TypeError);
    expect(() => deepFreeze(state.nested)).toThrow(TypeError);
  });
});
