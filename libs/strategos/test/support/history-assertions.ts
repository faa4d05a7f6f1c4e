import type { WorkflowQuery } from '@strategos/nestjs';

/** How many `StepCompleted` events each step has in the instance's history. */
export async function stepCompletionCounts(query: WorkflowQuery, workflowId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const event of await query.history(workflowId)) {
    if (event.kind === 'StepCompleted') counts[String(event.data.step)] = (counts[String(event.data.step)] ?? 0) + 1;
  }
  return counts;
}

/** Waits until every id reached a terminal status; returns the views. */
export async function waitForAll(query: WorkflowQuery, workflowIds: readonly string[], timeoutMs: number) {
  return Promise.all(workflowIds.map((id) => query.waitFor(id, { timeoutMs, pollIntervalMs: 250 })));
}

/** Starts `count` workflows a few at a time (the group commit batches them). */
export async function inChunks<T>(count: number, chunkSize: number, start: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let offset = 0; offset < count; offset += chunkSize) {
    const chunk = Array.from({ length: Math.min(chunkSize, count - offset) }, (_, i) => start(offset + i));
    results.push(...(await Promise.all(chunk)));
  }
  return results;
}
