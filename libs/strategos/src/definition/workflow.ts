import type { WorkflowState } from '../state/workflow-state.interface';
import { getStepOptions } from '../step/step.decorator';
import type { StepClass } from '../step/workflow-step.interface';
import { assertStepClass, assertStepDefinition, assertWorkflowName, stepLabel } from './definition-validator';
import { DiagnosticCode } from './diagnostic-codes';
import { pascalCase } from './names';
import type { ThenOptions } from './then-options.interface';
import type { StepDefinition, StepRole, WorkflowDefinition } from './workflow-definition';
import { WorkflowDefinitionError } from './workflow-definition.error';

interface PendingStep<S extends WorkflowState> {
  readonly stepClass: StepClass<S>;
  readonly options: ThenOptions<S>;
}

/**
 * The fluent builder of a workflow definition. Each call returns a new builder; `finally`
 * validates and returns the immutable {@link WorkflowDefinition}.
 */
export class WorkflowBuilder<S extends WorkflowState> {
  constructor(
    private readonly name: string,
    private readonly pending: readonly PendingStep<S>[] = [],
    private readonly failureStep?: StepClass<S>,
  ) {}

  /** The first step. */
  startWith(step: StepClass<S>, options: ThenOptions<S> = {}): WorkflowBuilder<S> {
    if (this.pending.length > 0) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepOrder,
        this.name,
        stepLabel(step),
        'startWith() is allowed once, as the first step; use then() for later steps',
      );
    }
    return new WorkflowBuilder<S>(this.name, [{ stepClass: step, options }], this.failureStep);
  }

  /** The next step, optionally with the step that compensates it. */
  then(step: StepClass<S>, options: ThenOptions<S> = {}): WorkflowBuilder<S> {
    if (this.pending.length === 0) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepOrder,
        this.name,
        stepLabel(step),
        'then() before startWith(); begin the workflow with startWith()',
      );
    }
    return new WorkflowBuilder<S>(this.name, [...this.pending, { stepClass: step, options }], this.failureStep);
  }

  /** The step that runs on the failure path, after compensation has finished. */
  onFailure(step: StepClass<S>): WorkflowBuilder<S> {
    if (this.failureStep) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.DuplicateOnFailure,
        this.name,
        stepLabel(step),
        'onFailure() is given twice; a workflow has one failure step',
      );
    }
    return new WorkflowBuilder<S>(this.name, this.pending, step);
  }

  /**
   * The terminal step; validates and returns the immutable definition.
   * @throws WorkflowDefinitionError with a `STRAT0xx` code naming the workflow and the step.
   */
  finally(step: StepClass<S>, options: ThenOptions<S> = {}): WorkflowDefinition<S> {
    if (this.pending.length === 0) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepOrder,
        this.name,
        stepLabel(step),
        'finally() before startWith(); begin the workflow with startWith()',
      );
    }
    return buildDefinition(this.name, [...this.pending, { stepClass: step, options }], this.failureStep);
  }

  /**
   * Validates and returns the definition whose terminal step is the last one added,
   * for definitions assembled in a loop.
   * @throws WorkflowDefinitionError `STRAT001` when no step was added.
   */
  build(): WorkflowDefinition<S> {
    return buildDefinition(this.name, this.pending, this.failureStep);
  }
}

function buildDefinition<S extends WorkflowState>(
  name: string,
  steps: readonly PendingStep<S>[],
  failureStep: StepClass<S> | undefined,
): WorkflowDefinition<S> {
  assertWorkflowName(name);
  if (steps.length === 0) {
    throw new WorkflowDefinitionError(DiagnosticCode.EmptyWorkflow, name, undefined, 'the workflow has no step; add one with startWith()');
  }
  const forward = steps.map((pending, index) => {
    const isTerminal = index === steps.length - 1;
    if (isTerminal && pending.options.compensate) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.CompensationOnTerminalStep,
        name,
        stepLabel(pending.stepClass),
        'the terminal step has no later step that can fail, so it has nothing to compensate; remove compensate',
      );
    }
    const compensation = pending.options.compensate && toStepDefinition(name, 'compensation', pending.options.compensate, {});
    return toStepDefinition(name, 'forward', pending.stepClass, pending.options, compensation);
  });
  const onFailure = failureStep && toStepDefinition(name, 'onFailure', failureStep, {});
  const stepsByName = new Map<string, StepDefinition>();
  const all = [...forward.flatMap((step) => (step.compensation ? [step, step.compensation] : [step])), ...(onFailure ? [onFailure] : [])];
  for (const step of all) {
    if (stepsByName.has(step.name)) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.DuplicateStepName,
        name,
        step.name,
        'two steps of the workflow have this name; a step runs once per workflow, give the other a distinct name with @Step({ name })',
      );
    }
    stepsByName.set(step.name, step);
  }
  return Object.freeze({ name, typeName: pascalCase(name), steps: Object.freeze(forward), onFailure, stepsByName });
}

function toStepDefinition<S extends WorkflowState>(
  workflow: string,
  role: StepRole,
  stepClass: StepClass<S>,
  options: ThenOptions<S>,
  compensation?: StepDefinition,
): StepDefinition {
  assertStepClass(workflow, stepClass);
  const declared = getStepOptions(stepClass) ?? {};
  const definition: StepDefinition = Object.freeze({
    name: declared.name ?? stepClass.name,
    role,
    stepClass: stepClass as unknown as StepClass,
    timeoutMs: options.timeoutMs ?? declared.timeoutMs,
    retry: Object.freeze({ ...definedFields(declared.retry), ...definedFields(options.retry) }),
    compensation,
  });
  assertStepDefinition(workflow, definition);
  return definition;
}

/** The fields whose value is not undefined, so that `{ maxAttempts: undefined }` (an unset config value) does not erase the @Step value. */
function definedFields<T extends object>(fields: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(fields ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Entry point of the workflow DSL.
 *
 * @example
 * export const processOrder = Workflow.create<OrderState>('process-order')
 *   .startWith(ValidateOrder)
 *   .then(ProcessPayment, { compensate: RefundPayment })
 *   .finally(SendConfirmation);
 */
export const Workflow = {
  /** Starts the definition of the workflow `name` (lower-case kebab-case: it names queues). */
  create<S extends WorkflowState>(name: string): WorkflowBuilder<S> {
    return new WorkflowBuilder<S>(name);
  },
} as const;
