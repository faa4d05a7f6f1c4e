import { classifyFailure } from './failure-kind';
import { ItemFailure } from './group-commit-queue';
import type { TransitionWrite, WriteResult } from './workflow-store.interface';

/**
 * Commits a batch; when the store refuses it for anything but a transient failure, commits its halves
 * separately (recursively), so that one write the store cannot take fails alone and every other write of
 * the batch commits. A transient failure (connection lost, deadlock) fails the whole batch: each of its
 * writes is retried by its caller. Each part is its own transaction: writes of one batch concern distinct
 * instances, so they never depended on each other.
 * @returns per write, its result or an {@link ItemFailure} with the store's error.
 */
export async function commitIsolatingFailures(
  commit: (writes: readonly TransitionWrite[]) => Promise<readonly WriteResult[]>,
  writes: readonly TransitionWrite[],
): Promise<(WriteResult | ItemFailure)[]> {
  try {
    return [...(await commit(writes))];
  } catch (error) {
    if (writes.length === 1 || classifyFailure(error) === 'transient') return writes.map(() => new ItemFailure(error));
    const middle = Math.ceil(writes.length / 2);
    const first = await commitIsolatingFailures(commit, writes.slice(0, middle));
    const second = await commitIsolatingFailures(commit, writes.slice(middle));
    return first.concat(second);
  }
}
