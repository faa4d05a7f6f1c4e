import type { WorkflowState } from '../state/workflow-state.interface';
import type { StepClass } from '../step/workflow-step.interface';
import { assertFunction, assertStepClass, assertWorkflowName, stepLabel } from './definition-validator';
import { DiagnosticCode } from './diagnostic-codes';
import { FailureChain, ParallelFlowConstructs } from './flow-builder';
import type { FlowConstruct } from './flow-construct';
import { compileGraph } from './graph-compiler';
import { pascalCase } from './names';
import { type JsonReducers, type ReducerOptions } from './reducers';
import type { ThenOptions } from './then-options.interface';
import type { WorkflowDefinition } from './workflow-definition';
import { WorkflowDefinitionError } from './workflow-definition.error';
import { assertDurationMs } from './wait-validator';

/** Options of `Workflow.create(name, options)`: fork/join `reducers` and a run `deadlineMs`. */
export interface WorkflowOptions<S = WorkflowState> extends ReducerOptions<S> {
  /**
   * How long a run may take: past it, the run is cancelled with `DEADLINE_EXCEEDED` and compensation runs.
   * A start may override it (`starter.start(def, state, { deadlineMs })`).
   */
  readonly deadlineMs?: number;
}

/** The builder method that records a wait. */
function waitMethod(wait: 'signal' | 'approval' | 'sleep'): string {
  return wait === 'signal' ? 'awaitSignal' : wait === 'approval' ? 'awaitApproval' : 'sleep';
}

type StepConstruct<S extends WorkflowState> = Extract<FlowConstruct<S>, { kind: 'step' }>;

/**
 * The fluent builder of a workflow definition. Each call returns a new builder; `finally`
 * validates, compiles the graph and returns the immutable {@link WorkflowDefinition}.
 */
export class WorkflowBuilder<S extends WorkflowState> extends ParallelFlowConstructs<S, WorkflowBuilder<S>> {
  constructor(
    private readonly name: string,
    constructs: readonly FlowConstruct<S>[] = [],
    private readonly failureChain?: readonly StepConstruct<S>[],
    private readonly reducers: JsonReducers = new Map(),
    private readonly options: WorkflowOptions = {},
  ) {
    super(name, constructs);
  }

  protected with(construct: FlowConstruct<S>): WorkflowBuilder<S> {
    if (this.constructs.length === 0) {
      const what =
        construct.kind === 'step'
          ? 'then()'
          : `${construct.kind === 'guard' ? 'validateState' : construct.kind === 'loop' ? 'repeatUntil' : construct.kind === 'wait' ? waitMethod(construct.wait) : construct.kind}()`;
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepOrder,
        this.name,
        construct.kind === 'step' ? stepLabel(construct.stepClass) : undefined,
        `${what} before startWith(); begin the workflow with startWith()`,
      );
    }
    return new WorkflowBuilder<S>(this.name, [...this.constructs, construct], this.failureChain, this.reducers, this.options);
  }

  /** The first step. */
  startWith(step: StepClass<S>, options: ThenOptions<S> = {}): WorkflowBuilder<S> {
    if (this.constructs.length > 0) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepOrder,
        this.name,
        stepLabel(step),
        'startWith() is allowed once, as the first step; use then() for later steps',
      );
    }
    return new WorkflowBuilder<S>(this.name, [{ kind: 'step', stepClass: step, options }], this.failureChain, this.reducers, this.options);
  }

  /**
   * What runs on the failure path, after compensation: one step, or a chain `(f) => f.then(A).then(B)`.
   * Each step is retried by its policy; a failure inside the chain ends the run `failed` with both errors recorded.
   * @throws WorkflowDefinitionError `STRAT008` when given twice.
   */
  onFailure(step: StepClass<S> | ((chain: FailureChain<S>) => FailureChain<S>)): WorkflowBuilder<S> {
    if (this.failureChain) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.DuplicateOnFailure,
        this.name,
        stepLabel(step),
        'onFailure() is given twice; a workflow has one failure step or chain',
      );
    }
    return new WorkflowBuilder<S>(this.name, this.constructs, failureChainOf(this.name, step), this.reducers, this.options);
  }

  /**
   * The terminal step; validates and returns the immutable definition.
   * @throws WorkflowDefinitionError with a `STRAT0xx` code naming the workflow and the step.
   */
  finally(step: StepClass<S>, options: ThenOptions<S> = {}): WorkflowDefinition<S> {
    if (this.constructs.length === 0) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepOrder,
        this.name,
        stepLabel(step),
        'finally() before startWith(); begin the workflow with startWith()',
      );
    }
    return buildDefinition(
      this.name,
      [...this.constructs, { kind: 'step', stepClass: step, options }],
      true,
      this.failureChain ?? [],
      this.reducers,
      this.options,
    );
  }

  /**
   * Validates and returns the definition whose terminal step is the last one added,
   * for definitions assembled in a loop.
   * @throws WorkflowDefinitionError `STRAT001` when no step was added.
   */
  build(): WorkflowDefinition<S> {
    return buildDefinition(this.name, this.constructs, false, this.failureChain ?? [], this.reducers, this.options);
  }
}

function failureChainOf<S extends WorkflowState>(
  workflow: string,
  step: StepClass<S> | ((chain: FailureChain<S>) => FailureChain<S>),
): readonly StepConstruct<S>[] {
  const isStepClass = typeof (step as { prototype?: { execute?: unknown } }).prototype?.execute === 'function';
  if (isStepClass || typeof step !== 'function') return [{ kind: 'step', stepClass: step as StepClass<S>, options: {} }];
  assertFunction(workflow, step, 'onFailure');
  const chain = (step as (chain: FailureChain<S>) => FailureChain<S>)(new FailureChain<S>(workflow));
  // A function that is not a chain was meant as a step class: say so.
  if (!(chain instanceof FailureChain)) assertStepClass(workflow, step);
  if (!(chain instanceof FailureChain) || chain.constructs.length === 0) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.EmptyCase,
      workflow,
      undefined,
      'the onFailure chain is empty or not returned; write it as (f) => f.then(StepA).then(StepB)',
    );
  }
  return chain.constructs;
}

function buildDefinition<S extends WorkflowState>(
  name: string,
  constructs: readonly FlowConstruct<S>[],
  hasFinally: boolean,
  failureChain: readonly StepConstruct<S>[],
  reducers: JsonReducers,
  options: WorkflowOptions,
): WorkflowDefinition<S> {
  assertWorkflowName(name);
  assertDurationMs(name, 'deadlineMs', options.deadlineMs, true);
  if (constructs.length === 0) {
    throw new WorkflowDefinitionError(DiagnosticCode.EmptyWorkflow, name, undefined, 'the workflow has no step; add one with startWith()');
  }
  const compiled = compileGraph(name, constructs, hasFinally, failureChain);
  return Object.freeze({
    name,
    typeName: pascalCase(name),
    steps: compiled.steps,
    onFailure: compiled.onFailure,
    graph: compiled.graph,
    stepsByName: compiled.stepsByName,
    reducers,
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
  });
}

/**
 * Entry point of the workflow DSL.
 *
 * @example
 * export const processOrder = Workflow.create<OrderState>('process-order')
 *   .startWith(ValidateOrder)
 *   .then(ProcessPayment, { compensate: RefundPayment })
 *   .branch((s) => s.delivery, {
 *     digital: (b) => b.then(SendDownloadLink),
 *     physical: (b) => b.then(ReserveInventory, { compensate: ReleaseInventory }).then(FulfillOrder),
 *   })
 *   .finally(SendConfirmation);
 */
export const Workflow = {
  /**
   * Starts the definition of the workflow `name` (lower-case kebab-case: it names queues). `options.reducers`
   * say how the paths of a fork combine their patches of a key at the join (default: replace, in path order);
   * `options.deadlineMs` cancels a run that takes longer (`DEADLINE_EXCEEDED`).
   * @throws WorkflowDefinitionError `STRAT028` when a reducer is not a function.
   */
  create<S extends WorkflowState>(name: string, options: WorkflowOptions<S> = {}): WorkflowBuilder<S> {
    return new WorkflowBuilder<S>(name, [], undefined, reducersOf(name, options), {
      ...(options?.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    });
  },
} as const;

function reducersOf<S extends WorkflowState>(workflow: string, options: ReducerOptions<S>): JsonReducers {
  const entries = Object.entries((options ?? {}).reducers ?? {}).filter(([, reducer]) => reducer !== undefined);
  for (const [key, reducer] of entries) {
    if (typeof reducer !== 'function') {
      throw new WorkflowDefinitionError(
        DiagnosticCode.InvalidReducer,
        workflow,
        undefined,
        `the reducer of state key ${key} is not a function; use Reducers.append, Reducers.merge or (a, b) => c`,
      );
    }
  }
  return new Map(entries) as unknown as JsonReducers;
}
