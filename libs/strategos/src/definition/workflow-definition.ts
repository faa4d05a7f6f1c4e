import type { WorkflowState } from '../state/workflow-state.interface';
import type { RetryPolicy } from '../step/retry-policy';
import type { StepClass } from '../step/workflow-step.interface';

/** What a step does in its workflow. */
export type StepRole = 'forward' | 'compensation' | 'onFailure';

/** One step of a definition, with its resolved wire name and options. */
export interface StepDefinition {
  readonly name: string;
  readonly role: StepRole;
  readonly stepClass: StepClass;
  /** Step-level timeout; the module default applies when absent. */
  readonly timeoutMs?: number;
  /** Step-level retry fields; the module default fills the rest. */
  readonly retry: Partial<RetryPolicy>;
  /** For a forward step: the step that undoes it on the failure path. */
  readonly compensation?: StepDefinition;
}

/** An immutable, validated workflow definition, produced by `Workflow.create(...)...finally(...)`. */
export interface WorkflowDefinition<S extends WorkflowState = WorkflowState> {
  readonly name: string;
  /** PascalCase of the name: the prefix of the workflow's event names (`ProcessOrderStarted`). */
  readonly typeName: string;
  /** The forward steps in order; the last one is the terminal step given to `finally`. */
  readonly steps: readonly StepDefinition[];
  readonly onFailure?: StepDefinition;
  /** Every step by name: forward, compensation and onFailure. */
  readonly stepsByName: ReadonlyMap<string, StepDefinition>;
  /** Carries the state type; never set at run time. */
  readonly __state?: S;
}
