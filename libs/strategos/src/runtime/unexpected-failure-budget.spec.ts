import { UnexpectedFailureBudget } from './unexpected-failure-budget';

describe('UnexpectedFailureBudget', () => {
  it('allows a bounded number of attempts per message, then reports it exhausted', () => {
    const budget = new UnexpectedFailureBudget(3);
    expect(budget.exhausted('m-1', undefined)).toBe(false);
    expect(budget.exhausted('m-1', undefined)).toBe(false);
    expect(budget.exhausted('m-2', undefined)).toBe(false);
    expect(budget.exhausted('m-1', undefined)).toBe(true);
  });

  it("counts the broker's x-delivery-count, so the bound holds across processes", () => {
    const budget = new UnexpectedFailureBudget(5);
    expect(budget.exhausted('m-1', 2)).toBe(false);
    expect(budget.exhausted('m-1', 4)).toBe(true);
  });

  it('starts over for a message that was processed in between', () => {
    const budget = new UnexpectedFailureBudget(2);
    expect(budget.exhausted('m-1', undefined)).toBe(false);
    budget.settled('m-1');
    expect(budget.exhausted('m-1', undefined)).toBe(false);
  });

  it('remembers a bounded number of messages', () => {
    const budget = new UnexpectedFailureBudget(2, 2);
    budget.exhausted('a', undefined);
    budget.exhausted('b', undefined);
    budget.exhausted('c', undefined);
    // 'a' was forgotten: its next failure is its first again.
    expect(budget.exhausted('a', undefined)).toBe(false);
    expect(budget.exhausted('c', undefined)).toBe(true);
  });
});
