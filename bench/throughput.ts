/** Workflows and steps per second over one run's window (first start to last completion). */
export interface Throughput {
  readonly durationMs: number;
  /** Steps executed (`StepCompleted` events), and per workflow. */
  readonly steps: number;
  readonly stepsPerWorkflow: number;
  readonly workflowsPerSec: number;
  readonly stepsPerSec: number;
}

export function throughput(workflows: number, steps: number, durationMs: number): Throughput {
  const perSec = (count: number): number => Math.round((count / durationMs) * 1000 * 10) / 10;
  return {
    durationMs: Math.round(durationMs),
    steps,
    stepsPerWorkflow: Math.round((steps / workflows) * 100) / 100,
    workflowsPerSec: perSec(workflows),
    stepsPerSec: perSec(steps),
  };
}
