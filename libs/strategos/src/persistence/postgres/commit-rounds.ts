import type { TransitionWrite } from '../workflow-store.interface';

/**
 * Splits a batch into rounds in which no two writes share an instance or an inbox message id, keeping
 * the order of writes that do. The commit statement sees the database as it was when it started, so
 * such writes must run one after the other (in one transaction); the usual batch, one write per instance,
 * is a single round.
 * @returns per round, the indexes of its writes in `writes`.
 */
export function commitRounds(writes: readonly TransitionWrite[]): number[][] {
  const rounds: number[][] = [];
  const lastRoundOf = new Map<string, number>();
  writes.forEach((write, index) => {
    const keys = [`instance:${write.transition.instance.workflowId}`];
    if (write.inboxMessageId !== null) keys.push(`message:${write.inboxMessageId}`);
    const round = Math.max(...keys.map((key) => lastRoundOf.get(key) ?? -1)) + 1;
    for (const key of keys) lastRoundOf.set(key, round);
    (rounds[round] ??= []).push(index);
  });
  return rounds;
}
