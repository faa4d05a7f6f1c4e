import { Injectable } from '@nestjs/common';
import { Step, StepResult, Workflow, type WorkflowState, type WorkflowStep } from '@strategos/nestjs';

/** The state of the timer benchmark's runs: when to wake. */
export interface TimerBenchState extends WorkflowState {
  readonly wakeAt: string;
}

@Injectable()
@Step({ name: 'Arm' })
export class Arm implements WorkflowStep<TimerBenchState> {
  async execute(): Promise<StepResult<TimerBenchState>> {
    return StepResult.ok<TimerBenchState>({});
  }
}

@Injectable()
@Step({ name: 'Woke' })
export class Woke implements WorkflowStep<TimerBenchState> {
  async execute(): Promise<StepResult<TimerBenchState>> {
    return StepResult.ok<TimerBenchState>({});
  }
}

/** Arm, a durable timer until `wakeAt`, Woke. */
export const timerBench = Workflow.create<TimerBenchState>('bench-timer')
  .startWith(Arm)
  .sleepUntil((s) => new Date(s.wakeAt))
  .finally(Woke);

/** Arm, then parked on a signal that never comes (no timeout). */
export const parkedBench = Workflow.create<TimerBenchState>('bench-parked').startWith(Arm).awaitSignal('never').finally(Woke);
