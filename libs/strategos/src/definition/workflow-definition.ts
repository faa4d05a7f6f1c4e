import type { WorkflowState } from '../state/workflow-state.interface';
import type { RetryPolicy } from '../step/retry-policy';
import type { StepClass } from '../step/workflow-step.interface';
import type { JsonReducers } from './reducers';
import type { WorkflowGraph } from './workflow-graph';

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
  /**
   * The forward steps in definition order (branch cases and loop bodies where they appear); the last one is
   * the terminal step given to `finally`. A run takes the steps its branches choose, loop bodies once per pass.
   */
  readonly steps: readonly StepDefinition[];
  /** The onFailure chain, in order (empty when there is none). */
  readonly onFailure: readonly StepDefinition[];
  /** The compiled graph the engine interprets: steps, branches, loops, guards and ends, by node id. */
  readonly graph: WorkflowGraph;
  /** Every step by name: forward, compensation and onFailure. */
  readonly stepsByName: ReadonlyMap<string, StepDefinition>;
  /** How the paths of a fork combine their patches of a key at the join (absent key: replace in path order). */
  readonly reducers?: JsonReducers;
  /** Past this many milliseconds after its start a run is cancelled with `DEADLINE_EXCEEDED` (a start may override it). */
  readonly deadlineMs?: number;
  /** Carries the state type; never set at run time. */
  readonly __state?: S;
}
