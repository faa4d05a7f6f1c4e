import { Phase } from '../definition/phases';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition';
import type { PhaseContract } from './phase-contract';

/** The compensation steps, latest forward step first: the order they run in when every step before the terminal one completed once. */
export function compensationsInRunOrder(definition: WorkflowDefinition): readonly StepDefinition[] {
  return [...definition.steps]
    .reverse()
    .map((step) => step.compensation)
    .filter((step): step is StepDefinition => step !== undefined);
}

/**
 * Every phase of a workflow, in the order of a run: `NotStarted`, the forward steps, the waits, `Completed`, then the
 * failure path (`Compensating`, the compensations in the order they run, `Compensated`, the onFailure step,
 * `Failed`) and `Cancelled`.
 */
export function derivePhases(definition: WorkflowDefinition): readonly PhaseContract[] {
  return [
    { name: Phase.NotStarted, kind: 'initial' },
    ...definition.steps.map((step) => ({ name: step.name, kind: step.role })),
    ...[...definition.graph.nodes.values()].flatMap((node) => (node.kind === 'wait' ? [{ name: node.label, kind: 'wait' as const }] : [])),
    { name: Phase.Completed, kind: 'completed' },
    { name: Phase.Compensating, kind: 'compensating' },
    ...compensationsInRunOrder(definition).map((step) => ({ name: step.name, kind: step.role })),
    { name: Phase.Compensated, kind: 'compensated' },
    ...definition.onFailure.map((step) => ({ name: step.name, kind: step.role })),
    { name: Phase.Failed, kind: 'failed' },
    { name: Phase.Cancelled, kind: 'cancelled' },
  ];
}
