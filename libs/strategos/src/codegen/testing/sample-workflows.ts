import { Workflow } from '../../definition/workflow';
import type { WorkflowDefinition } from '../../definition/workflow-definition';
import type { WorkflowState } from '../../state/workflow-state.interface';
import { StepResult } from '../../step/step-result';
import { Step } from '../../step/step.decorator';
import type { StepClass, WorkflowStep } from '../../step/workflow-step.interface';

/** A forward step, by name, or with the name of the step that compensates it. */
export type SampleStep = string | readonly [step: string, compensation: string];

/** The steps of a sample workflow, for the generator's tests. */
export interface SampleWorkflowShape {
  readonly name: string;
  readonly steps: readonly SampleStep[];
  readonly onFailure?: string;
}

/** A decorated step class that does nothing, named `name`. */
export function stepNamed(name: string): StepClass {
  @Step({ name })
  class SampleStepClass implements WorkflowStep<WorkflowState> {
    execute(): StepResult<WorkflowState> {
      return StepResult.ok();
    }
  }
  return SampleStepClass;
}

/** A definition of the given shape, with steps that do nothing. */
export function sampleWorkflow(shape: SampleWorkflowShape): WorkflowDefinition {
  let builder = Workflow.create(shape.name);
  if (shape.onFailure) builder = builder.onFailure(stepNamed(shape.onFailure));
  shape.steps.forEach((step, index) => {
    const [name, compensation] = typeof step === 'string' ? [step, undefined] : step;
    const options = compensation ? { compensate: stepNamed(compensation) } : {};
    builder = index === 0 ? builder.startWith(stepNamed(name), options) : builder.then(stepNamed(name), options);
  });
  return builder.build();
}

/** The order saga of the API: two compensated steps, a step that can fail, a terminal step, an onFailure step. */
export const PROCESS_ORDER_SHAPE: SampleWorkflowShape = {
  name: 'process-order',
  steps: [
    'ValidateOrder',
    ['ProcessPayment', 'RefundPayment'],
    ['ReserveInventory', 'ReleaseInventory'],
    'FulfillOrder',
    'SendConfirmation',
  ],
  onFailure: 'SendFailureNotification',
};

/** Shapes that between them take every branch of the failure path. */
export const SAMPLE_SHAPES: readonly SampleWorkflowShape[] = [
  PROCESS_ORDER_SHAPE,
  { ...PROCESS_ORDER_SHAPE, name: 'no-on-failure', onFailure: undefined },
  { name: 'no-compensation', steps: ['Reserve', 'Charge', 'Ship'], onFailure: 'Notify' },
  { name: 'single-step', steps: ['Only'] },
  { name: 'first-compensated', steps: [['Hold', 'Release'], 'Charge', 'Ship'], onFailure: 'Notify' },
  { name: 'all-compensated', steps: [['A', 'UndoA'], ['B', 'UndoB'], ['C', 'UndoC'], 'D'] },
  { name: 'later-compensated', steps: ['Check', 'Quote', ['Book', 'Cancel'], 'Pay', 'Ticket'] },
];
