/** Workflows and steps per second over one run's window (first start to last completion). */
export interface Throughput {
  readonly durationMs: number;
  readonly workflowsPerSec: number;
  readonly stepsPerSec: number;
}

/** Steps per workflow in the measured workflow (ValidateOrder, ProcessPayment, FulfillOrder, SendConfirmation). */
export const STEPS_PER_WORKFLOW = 4;

export function throughput(workflows: number, durationMs: number): Throughput {
  const perSec = (count: number): number => Math.round((count / durationMs) * 1000 * 10) / 10;
  return { durationMs: Math.round(durationMs), workflowsPerSec: perSec(workflows), stepsPerSec: perSec(workflows * STEPS_PER_WORKFLOW) };
}
