import type { TransitionWrite, WriteResult } from './workflow-store.interface';
import { commitIsolatingFailures } from './commit-isolating-failures';
import { ItemFailure } from './group-commit-queue';

const write = (id: string) => ({ transition: { instance: { workflowId: id } } }) as unknown as TransitionWrite;

describe('commitIsolatingFailures', () => {
  it('bisects a refused batch so that only the culprit fails', async () => {
    const calls: number[] = [];
    const commit = async (writes: readonly TransitionWrite[]): Promise<WriteResult[]> => {
      calls.push(writes.length);
      if (writes.some((w) => w.transition.instance.workflowId === 'bad'))
        throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05', severity: 'ERROR' });
      return writes.map(() => 'committed');
    };
    const ids = Array.from({ length: 20 }, (_, i) => (i === 13 ? 'bad' : `ok-${i}`));
    const results = await commitIsolatingFailures(commit, ids.map(write));
    expect(results.filter((r) => r instanceof ItemFailure)).toHaveLength(1);
    expect(results[13]).toBeInstanceOf(ItemFailure);
    expect(results.filter((r) => r === 'committed')).toHaveLength(19);
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(20)));
  });

  it('fails the whole batch at once on a transient failure', async () => {
    const calls: number[] = [];
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const results = await commitIsolatingFailures(async (writes) => {
      calls.push(writes.length);
      throw refused;
    }, ['a', 'b', 'c'].map(write));
    expect(calls).toEqual([3]);
    expect(results.every((r) => r instanceof ItemFailure && r.error === refused)).toBe(true);
  });
});
