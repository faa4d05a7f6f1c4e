import { setTimeout as sleep } from 'node:timers/promises';

/** How often the open-loop starter wakes up to start the workflows that are due. */
const TICK_MS = 5;

/**
 * Open loop: starts workflow i at `i / ratePerSec` seconds after the call, whether or not earlier starts
 * (or their workflows) have finished, so that queueing shows in the latencies instead of slowing the
 * arrivals. Resolves when every start has returned; rejects with the first start that failed.
 */
export async function startAtRate(count: number, ratePerSec: number, start: (index: number) => Promise<unknown>): Promise<void> {
  const startedAt = performance.now();
  const pending: Promise<unknown>[] = [];
  let started = 0;
  while (started < count) {
    const due = Math.min(count, Math.floor(((performance.now() - startedAt) * ratePerSec) / 1000) + 1);
    for (; started < due; started++) pending.push(start(started));
    await sleep(TICK_MS);
  }
  await Promise.all(pending);
}
