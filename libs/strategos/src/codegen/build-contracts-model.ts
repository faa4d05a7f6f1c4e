import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition';
import { WorkflowEventKind } from '../engine/workflow-event';
import { eventRoutingKey } from '../messages/topology';
import { CodegenError } from './codegen.error';
import { LIBRARY_TYPES, VALIDATOR_DECORATORS } from './contract-imports';
import { ContractNames } from './contract-names';
import type { ContractsModel, DefinitionSource, StepContract } from './contracts-model';
import { EVENT_DATA_SHAPES } from './event-data-shapes';
import { compensationsInRunOrder, derivePhases } from './workflow-phases';
import { deriveTransitions } from './workflow-transitions';

/**
 * The contracts of a workflow definition: its phases, one command per step, its events and its
 * transitions, with the identifiers the generated file declares. Pure: the same definition gives the same model.
 * @throws CodegenError `NAME_COLLISION` when two generated identifiers (or one and an import) would clash.
 */
export function buildContractsModel(definition: WorkflowDefinition, source: DefinitionSource): ContractsModel {
  const names = new ContractNames(definition.typeName);
  const steps = stepsInOrder(definition).map((step) => toStepContract(definition, step, names));
  const kinds = Object.values(WorkflowEventKind);
  assertNoCollision(definition.name, source, [
    ...VALIDATOR_DECORATORS,
    ...LIBRARY_TYPES,
    source.localName,
    ...names.declared(
      steps.map((step) => step.name),
      kinds,
    ),
  ]);
  return {
    workflow: definition.name,
    names,
    source,
    phases: derivePhases(definition),
    steps,
    events: kinds.map((kind) => ({
      kind,
      className: names.eventClass(kind),
      dataType: names.eventData(kind),
      pattern: eventRoutingKey(definition.name, kind),
      data: EVENT_DATA_SHAPES[kind],
    })),
    transitions: deriveTransitions(definition),
    diagramTransitions: deriveTransitions(definition, true),
    signals: [...definition.graph.nodes.values()].flatMap((node) =>
      node.kind === 'wait' && node.signal !== undefined ? [node.signal] : [],
    ),
  };
}

function stepsInOrder(definition: WorkflowDefinition): StepDefinition[] {
  return [...definition.steps, ...compensationsInRunOrder(definition), ...definition.onFailure];
}

function toStepContract(definition: WorkflowDefinition, step: StepDefinition, names: ContractNames): StepContract {
  const compensates = step.role === 'compensation' ? definition.steps.find((forward) => forward.compensation === step)?.name : undefined;
  return {
    name: step.name,
    role: step.role,
    commandClass: names.commandClass(step.name),
    completedClass: names.stepCompletedClass(step.name),
    failedClass: names.stepFailedClass(step.name),
    ...(step.compensation ? { compensation: step.compensation.name } : {}),
    ...(compensates ? { compensates } : {}),
    ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
    retry: step.retry,
  };
}

function assertNoCollision(workflow: string, source: DefinitionSource, identifiers: readonly string[]): void {
  const seen = new Set<string>();
  for (const identifier of identifiers) {
    if (seen.has(identifier)) {
      throw new CodegenError(
        'NAME_COLLISION',
        `${workflow}: the contracts file would declare ${identifier} twice (from a step name, the workflow name or the export ${source.exportName}); rename the step with @Step({ name }) or the export`,
      );
    }
    seen.add(identifier);
  }
}
