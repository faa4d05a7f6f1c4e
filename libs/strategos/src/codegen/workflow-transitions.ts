import { Phase } from '../definition/phases';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition';
import type { ContractTransition } from './contract-transition';
import { compensationsInRunOrder } from './workflow-phases';

/**
 * The transitions table of a workflow, as the transition engine moves its runs: the forward chain, the
 * failure path (`Compensating`, compensations in reverse order, `Compensated`, the onFailure step, a
 * terminal phase), cancellation and retry. Rows are grouped by their `from` phase in the order of a run.
 */
export function deriveTransitions(definition: WorkflowDefinition): readonly ContractTransition[] {
  const compensations = compensationsInRunOrder(definition);
  return [
    { from: Phase.NotStarted, on: 'started', to: definition.steps[0].name },
    ...definition.steps.flatMap((step, index) => forwardTransitions(definition, index)),
    ...(compensations.length > 0 ? compensatingTransitions(definition) : []),
    ...compensations.flatMap((step, index) => compensationTransitions(step, compensations[index + 1])),
    ...(compensations.length > 0 ? compensatedTransitions(definition) : []),
    ...(definition.onFailure ? onFailureTransitions(definition.onFailure, compensations.length > 0) : []),
    ...retryTransitions(definition),
  ];
}

/** The compensations that run when the steps before `index` completed (and the step at `index` too, if `including`). */
function compensationsAfter(definition: WorkflowDefinition, index: number, including: boolean): readonly StepDefinition[] {
  return definition.steps
    .slice(0, including ? index + 1 : index)
    .map((step) => step.compensation)
    .filter((step): step is StepDefinition => step !== undefined);
}

/** Where a failure leads when `toUndo` compensations are due and no cancel was requested. */
function failureTarget(definition: WorkflowDefinition, toUndo: readonly StepDefinition[]): string {
  if (toUndo.length > 0) return Phase.Compensating;
  return definition.onFailure?.name ?? Phase.Failed;
}

function forwardTransitions(definition: WorkflowDefinition, index: number): ContractTransition[] {
  const step = definition.steps[index];
  const next = definition.steps[index + 1]?.name ?? Phase.Completed;
  const failedTo = failureTarget(definition, compensationsAfter(definition, index, false));
  const rows: ContractTransition[] = [
    { from: step.name, on: 'succeeded', to: next },
    { from: step.name, on: 'failed', to: failedTo },
    { from: step.name, on: 'exhausted', to: failedTo },
  ];
  const undoneIfCompleted = compensationsAfter(definition, index, true).length > 0;
  const undoneIfNotCompleted = compensationsAfter(definition, index, false).length > 0;
  if (undoneIfCompleted === undoneIfNotCompleted) {
    rows.push({ from: step.name, on: 'cancelled', to: undoneIfCompleted ? Phase.Compensating : Phase.Cancelled });
  } else {
    // Only this step's own compensation is due, and only if the step finished before the cancel took effect.
    rows.push({ from: step.name, on: 'cancelled', to: Phase.Compensating, when: `${step.name} completed` });
    rows.push({ from: step.name, on: 'cancelled', to: Phase.Cancelled, when: `${step.name} not completed` });
  }
  return rows;
}

/** Out of `Compensating`: the compensation of the latest completed step that has one. */
function compensatingTransitions(definition: WorkflowDefinition): ContractTransition[] {
  return [...definition.steps]
    .reverse()
    .filter((step) => step.compensation !== undefined)
    .map((step) => ({ from: Phase.Compensating, on: 'auto', to: step.compensation!.name, when: `undo ${step.name}` }));
}

function compensationTransitions(step: StepDefinition, next: StepDefinition | undefined): ContractTransition[] {
  return [
    { from: step.name, on: 'succeeded', to: next?.name ?? Phase.Compensated },
    { from: step.name, on: 'failed', to: Phase.Failed },
    { from: step.name, on: 'exhausted', to: Phase.Failed },
  ];
}

/** Out of `Compensated`: a cancelled run ends, a failed one runs its onFailure step (or ends `Compensated`). */
function compensatedTransitions(definition: WorkflowDefinition): ContractTransition[] {
  const rows: ContractTransition[] = [{ from: Phase.Compensated, on: 'auto', to: Phase.Cancelled, when: 'cancel requested' }];
  if (definition.onFailure) rows.push({ from: Phase.Compensated, on: 'auto', to: definition.onFailure.name, when: 'no cancel' });
  return rows;
}

/** The onFailure step ends the run whatever its outcome: `Compensated` when compensation ran, else `Failed`. */
function onFailureTransitions(step: StepDefinition, canCompensate: boolean): ContractTransition[] {
  return (['succeeded', 'failed', 'exhausted'] as const).flatMap((on): ContractTransition[] =>
    canCompensate
      ? [
          { from: step.name, on, to: Phase.Compensated, when: 'compensated' },
          { from: step.name, on, to: Phase.Failed, when: 'nothing compensated' },
        ]
      : [{ from: step.name, on, to: Phase.Failed }],
  );
}

/** A run that failed without compensating anything can be retried from the step that failed. */
function retryTransitions(definition: WorkflowDefinition): ContractTransition[] {
  return definition.steps
    .filter((step, index) => compensationsAfter(definition, index, false).length === 0)
    .map((step) => ({ from: Phase.Failed, on: 'retried', to: step.name, when: `${step.name} failed` }));
}
