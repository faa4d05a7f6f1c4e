/**
 * How long until a workflow at `currentStep` completes its forward path: the rest of the current step
 * (its median less `elapsedMs` already spent in it, at least 0) plus the medians of the later steps.
 * Undefined when the current step is not among `steps` or any remaining step has no median.
 * @param steps the forward steps, in order.
 * @param medians per step name, the median duration in milliseconds.
 */
export function remainingDurationMs(
  steps: readonly string[],
  currentStep: string,
  medians: ReadonlyMap<string, number>,
  elapsedMs: number,
): number | undefined {
  const index = steps.indexOf(currentStep);
  if (index < 0) return undefined;
  let total = 0;
  for (const [offset, step] of steps.slice(index).entries()) {
    const median = medians.get(step);
    if (median === undefined) return undefined;
    total += offset === 0 ? Math.max(0, median - elapsedMs) : median;
  }
  return total;
}
