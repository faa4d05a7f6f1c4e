import type { StepRole } from '../definition/workflow-definition';

/** What a phase is: a built-in phase, a wait (`AwaitSignal(name)`, `Sleep(60000ms)`), or the phase of a step with the step's role. */
export type PhaseKind = 'initial' | 'completed' | 'compensating' | 'compensated' | 'failed' | 'cancelled' | 'wait' | StepRole;

/** One phase of a workflow, in the order contracts list them. */
export interface PhaseContract {
  readonly name: string;
  readonly kind: PhaseKind;
}
