import { setTimeout as sleep } from 'node:timers/promises';
import { progress } from './progress';
import { retrying } from './retrying';

/** Workflows that finished: successfully, and in any terminal status. */
export interface CompletionCounts {
  readonly completed: number;
  readonly terminal: number;
}

/** What {@link waitForCompletion} polls, and how patiently. */
export interface CompletionWait {
  /** Name in progress and error messages (`framework`, `floor`). */
  readonly label: string;
  readonly target: number;
  readonly intervalMs: number;
  /** Fails when the count has not moved for this long: the run hangs. */
  readonly stallMs: number;
  readonly count: () => Promise<CompletionCounts>;
  /** Describes where unfinished workflows are, for the error of a stalled run. */
  readonly describeStall?: () => Promise<string>;
  /** Why waiting is pointless (the worker died), checked on every poll. */
  readonly failure?: () => string | undefined;
}

const PROGRESS_EVERY_MS = 2_000;

/**
 * Polls until `target` workflows are terminal.
 * @throws Error naming the label, the counts and (with `describeStall`) where the run stopped, when nothing moved for `stallMs`.
 */
export async function waitForCompletion(wait: CompletionWait): Promise<CompletionCounts> {
  let last: CompletionCounts = { completed: 0, terminal: 0 };
  let lastMoveAt = Date.now();
  let lastProgressAt = Date.now();
  for (;;) {
    const failure = wait.failure?.();
    if (failure !== undefined) throw new Error(`${wait.label}: ${failure}`);
    const counts = await retrying(wait.count);
    if (counts.terminal >= wait.target) return counts;
    const now = Date.now();
    if (counts.terminal !== last.terminal) lastMoveAt = now;
    if (now - lastMoveAt > wait.stallMs)
      throw new Error(
        `${wait.label}: stalled at ${counts.terminal}/${wait.target} terminal (${counts.completed} completed) for ${wait.stallMs} ms. ${wait.describeStall ? await wait.describeStall() : ''}`,
      );
    if (now - lastProgressAt >= PROGRESS_EVERY_MS) {
      progress(`${wait.label}: ${counts.completed}/${wait.target} completed`);
      lastProgressAt = now;
    }
    last = counts;
    await sleep(wait.intervalMs);
  }
}
