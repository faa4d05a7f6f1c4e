import type { StepRole } from '../definition/workflow-definition';
import type { WorkflowEventKind } from '../engine/workflow-event';
import type { RetryPolicy } from '../step/retry-policy';
import type { ContractNames } from './contract-names';
import type { ContractTransition } from './contract-transition';
import type { EventDataShape } from './event-data-shapes';
import type { PhaseContract } from './phase-contract';

/** Where the contracts file finds the definition it describes. */
export interface DefinitionSource {
  /** The name the module exports the definition under, e.g. `processOrder` (or `default`). */
  readonly exportName: string;
  /** The name the contracts file imports it as: the export name, or `<workflow>Definition` for a default export. */
  readonly localName: string;
  /** The definition's module relative to the contracts file, without extension, e.g. `./process-order.workflow`. */
  readonly moduleSpecifier: string;
  /** The definition's file relative to the contracts file, for the generated header, e.g. `process-order.workflow.ts`. */
  readonly fileName: string;
}

/** One step, with the names of its command and its per-step event aliases. */
export interface StepContract {
  readonly name: string;
  readonly role: StepRole;
  readonly commandClass: string;
  readonly completedClass: string;
  readonly failedClass: string;
  /** For a forward step: the step that compensates it. */
  readonly compensation?: string;
  /** For a compensation step: the forward step it undoes. */
  readonly compensates?: string;
  readonly timeoutMs?: number;
  readonly retry: Partial<RetryPolicy>;
}

/** One event kind of the workflow. */
export interface EventContract {
  readonly kind: WorkflowEventKind;
  /** The class, also the message type: `ProcessOrderCompleted`. */
  readonly className: string;
  /** The type of its `data`: `ProcessOrderCompletedData`. */
  readonly dataType: string;
  /** The routing key on the events exchange: `process-order.Completed`. */
  readonly pattern: string;
  readonly data: EventDataShape;
}

/** Everything the contracts file, the diagram and the markdown say about one workflow definition. */
export interface ContractsModel {
  /** The workflow name, e.g. `process-order`. */
  readonly workflow: string;
  readonly names: ContractNames;
  readonly source: DefinitionSource;
  readonly phases: readonly PhaseContract[];
  /** Forward steps in order, then compensations in the order they run, then the onFailure step. */
  readonly steps: readonly StepContract[];
  readonly events: readonly EventContract[];
  readonly transitions: readonly ContractTransition[];
  /** The same transitions for the diagram: branches, loop checks and guards as choice nodes (`choice_<node>`). */
  readonly diagramTransitions: readonly ContractTransition[];
  /** The signal names of the workflow's waits (`awaitSignal`, `awaitApproval`), in definition order; empty without waits. */
  readonly signals?: readonly string[];
}
