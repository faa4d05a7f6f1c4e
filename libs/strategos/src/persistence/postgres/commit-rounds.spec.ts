import type { TransitionWrite } from '../workflow-store.interface';
import { commitRounds } from './commit-rounds';

function write(workflowId: string, inboxMessageId: string | null = null): TransitionWrite {
  return { inboxMessageId, expectedVersion: 1, transition: { instance: { workflowId } } as TransitionWrite['transition'], outbox: [] };
}

describe('commitRounds', () => {
  it('keeps a batch of distinct instances and messages in one round', () => {
    expect(commitRounds([write('a', 'm1'), write('b', 'm2'), write('c')])).toEqual([[0, 1, 2]]);
  });

  it('puts a second write for an instance in a later round, keeping batch order', () => {
    expect(commitRounds([write('a'), write('b'), write('a'), write('a'), write('c')])).toEqual([[0, 1, 4], [2], [3]]);
  });

  it('puts a second write of one inbox message in a later round', () => {
    expect(commitRounds([write('a', 'm'), write('b', 'm'), write('c', 'n')])).toEqual([[0, 2], [1]]);
  });

  it('orders a write after every earlier write it shares an instance or a message with', () => {
    expect(commitRounds([write('a', 'm'), write('a', 'n'), write('b', 'n')])).toEqual([[0], [1], [2]]);
  });

  it('returns no round for an empty batch', () => {
    expect(commitRounds([])).toEqual([]);
  });
});
