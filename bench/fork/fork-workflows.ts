import { Injectable } from '@nestjs/common';
import { Step, StepResult, Workflow, type WorkflowState, type WorkflowStep } from '@strategos/nestjs';

/** The state of the fork benchmark's runs: how long each work step's body takes. */
export interface ForkBenchState extends WorkflowState {
  readonly workMs: number;
}

/** The first and the last step of both workflows: no work. */
@Injectable()
@Step({ name: 'Begin' })
export class Begin implements WorkflowStep<ForkBenchState> {
  async execute(): Promise<StepResult<ForkBenchState>> {
    return StepResult.ok<ForkBenchState>({});
  }
}

@Injectable()
@Step({ name: 'Finish' })
export class Finish implements WorkflowStep<ForkBenchState> {
  async execute(): Promise<StepResult<ForkBenchState>> {
    return StepResult.ok<ForkBenchState>({});
  }
}

/** The work step, used four times under four names: waits `workMs` (an I/O call, e.g. to a provider). */
@Injectable()
@Step({ name: 'Work' })
export class Work implements WorkflowStep<ForkBenchState> {
  async execute(state: Readonly<ForkBenchState>): Promise<StepResult<ForkBenchState>> {
    if (state.workMs > 0) await new Promise((resolve) => setTimeout(resolve, state.workMs));
    return StepResult.ok<ForkBenchState>({});
  }
}

/** Begin, a fork of four one-step paths (Work1..Work4, the same body), joined by Finish. */
export const forkBench = Workflow.create<ForkBenchState>('bench-fork')
  .startWith(Begin)
  .fork(
    (p) => p.then(Work, { name: 'Work1' }),
    (p) => p.then(Work, { name: 'Work2' }),
    (p) => p.then(Work, { name: 'Work3' }),
    (p) => p.then(Work, { name: 'Work4' }),
  )
  .join(Finish)
  .build();

/** Begin, the same four work steps one after the other, then Finish: the sequential baseline of {@link forkBench}. */
export const sequentialBench = Workflow.create<ForkBenchState>('bench-sequential')
  .startWith(Begin)
  .then(Work, { name: 'Work1' })
  .then(Work, { name: 'Work2' })
  .then(Work, { name: 'Work3' })
  .then(Work, { name: 'Work4' })
  .then(Finish)
  .build();

/** The step classes of both workflows. */
export const FORK_BENCH_STEPS = [Begin, Work, Finish] as const;
