import type { StepDefinition } from '../definition/workflow-definition';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { WorkflowStep } from '../step/workflow-step.interface';

/** Gives the runtime an instance of a step class (from the Nest container). */
export interface StepResolver {
  resolve(step: StepDefinition): Promise<WorkflowStep<WorkflowState>>;
}
