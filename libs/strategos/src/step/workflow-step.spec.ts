import { Workflow } from '../definition/workflow';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StrategosTestHarness } from '../testing/strategos-test-harness';
import { StepResult } from './step-result';
import { Step } from './step.decorator';
import type { WorkflowStep } from './workflow-step.interface';

interface CounterState extends WorkflowState {
  readonly count: number;
}

// The WorkflowStep type accepts an arrow-function `execute` property: the definition check and the runtime accept it too.
@Step({ name: 'ArrowIncrement' })
class ArrowIncrement implements WorkflowStep<CounterState> {
  private readonly by = 2;
  readonly execute = (state: Readonly<CounterState>): StepResult<CounterState> => StepResult.ok({ count: state.count + this.by });
}

@Step({ name: 'MethodIncrement' })
class MethodIncrement implements WorkflowStep<CounterState> {
  execute(state: Readonly<CounterState>): StepResult<CounterState> {
    return StepResult.ok({ count: state.count + 1 });
  }
}

describe('WorkflowStep', () => {
  it('runs a step whose execute is an arrow-function property, as the type allows', async () => {
    const counter = Workflow.create<CounterState>('arrow-counter').startWith(ArrowIncrement).finally(MethodIncrement);
    const harness = await StrategosTestHarness.create({ workflows: [counter] });
    try {
      const { workflowId } = await harness.starter.start(counter, { workflowId: 'w-arrow-1', count: 0 });
      const view = await harness.query.waitFor<CounterState>(workflowId, { timeoutMs: 10_000 });
      expect(view).toMatchObject({ status: 'completed', state: { count: 3 } });
    } finally {
      await harness.close();
    }
  });

  it('still rejects a class without any execute (STRAT005)', () => {
    class NotAStep {
      run(): void {}
    }
    expect(() =>
      Workflow.create<CounterState>('no-execute')
        .startWith(MethodIncrement)
        .finally(NotAStep as never),
    ).toThrow(expect.objectContaining({ code: 'STRAT005' }));
  });
});
