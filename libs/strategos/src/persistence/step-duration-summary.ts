import type { StepDuration } from './step-duration.interface';
import type { StepTimingMark } from './step-timing-mark.interface';

/**
 * Per step, the median duration over `runs` (each a run's marks in sequence order). A step's duration
 * runs from the latest `PhaseChanged` into it (in a fork, interleaved with other paths' steps) to its `StepCompleted`, so retries of the step count; a
 * negative one (clocks of two machines disagreeing) counts as 0. Sorted by step name.
 */
export function summariseStepDurations(runs: Iterable<readonly StepTimingMark[]>): StepDuration[] {
  const samples = new Map<string, number[]>();
  for (const marks of runs) {
    // Per step: the paths of a fork enter and complete their steps interleaved.
    const started = new Map<string, StepTimingMark>();
    for (const mark of marks) {
      if (mark.kind === 'PhaseChanged') {
        started.set(mark.step, mark);
        continue;
      }
      const entered = started.get(mark.step);
      if (entered === undefined) continue;
      const list = samples.get(mark.step) ?? [];
      list.push(Math.max(0, mark.at - entered.at));
      samples.set(mark.step, list);
      started.delete(mark.step);
    }
  }
  return [...samples.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([step, durations]) => ({ step, medianMs: median(durations), samples: durations.length }));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
