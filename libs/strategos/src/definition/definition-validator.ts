import { getStepOptions } from '../step/step.decorator';
import type { WorkflowState } from '../state/workflow-state.interface';
import { DiagnosticCode } from './diagnostic-codes';
import { endsRun, type FlowConstruct } from './flow-construct';
import { MAX_NAME_LENGTH, STEP_NAME_PATTERN, WORKFLOW_NAME_PATTERN } from './names';
import { RESERVED_STEP_NAMES } from './phases';
import type { StepDefinition } from './workflow-definition';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** @throws WorkflowDefinitionError `STRAT002` for a name that cannot name a queue. */
export function assertWorkflowName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !WORKFLOW_NAME_PATTERN.test(name)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidWorkflowName,
      String(name),
      undefined,
      `invalid workflow name ${typeof name === 'string' ? JSON.stringify(name) : String(name)}; use lower-case kebab-case of 1 to ${MAX_NAME_LENGTH} characters, e.g. 'process-order'`,
    );
  }
}

/**
 * @throws WorkflowDefinitionError `STRAT005` for something that is not a class with an `execute` method (or an
 * `execute` arrow-function property, which the `WorkflowStep` type accepts as well).
 */
export function assertStepClass(workflow: string, stepClass: unknown): void {
  const prototype = typeof stepClass === 'function' ? (stepClass.prototype as { execute?: unknown } | undefined) : undefined;
  if (typeof prototype?.execute !== 'function' && !declaresExecuteProperty(stepClass)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.NotAStepClass,
      workflow,
      stepLabel(stepClass),
      'not a step class: a step is a class with an execute(state, context, signal) method, decorated with @Step()',
    );
  }
}

/** @throws WorkflowDefinitionError `STRAT003`, `STRAT010` or `STRAT009` for a bad name or option. */
export function assertStepDefinition(workflow: string, step: StepDefinition): void {
  if (step.name.length > MAX_NAME_LENGTH || !STEP_NAME_PATTERN.test(step.name)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidStepName,
      workflow,
      step.name,
      `invalid step name ${JSON.stringify(step.name)}; use letters, digits and _ (starting with a letter), at most ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (RESERVED_STEP_NAMES.has(step.name)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.ReservedStepName,
      workflow,
      step.name,
      'this name is a built-in phase; rename the step with @Step({ name })',
    );
  }
  const problem = findOptionProblem(step);
  if (problem) {
    throw new WorkflowDefinitionError(DiagnosticCode.InvalidStepOption, workflow, step.name, problem);
  }
}

function findOptionProblem(step: StepDefinition): string | undefined {
  const { retry, timeoutMs } = step;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0))
    return `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`;
  if (retry.maxAttempts !== undefined && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1))
    return `retry.maxAttempts must be an integer of at least 1, got ${retry.maxAttempts}`;
  if (retry.initialDelayMs !== undefined && !(Number.isFinite(retry.initialDelayMs) && retry.initialDelayMs >= 0))
    return `retry.initialDelayMs must be 0 or more, got ${retry.initialDelayMs}`;
  if (retry.multiplier !== undefined && !(Number.isFinite(retry.multiplier) && retry.multiplier >= 1))
    return `retry.multiplier must be 1 or more, got ${retry.multiplier}`;
  if (retry.maxDelayMs !== undefined && !(Number.isFinite(retry.maxDelayMs) && retry.maxDelayMs >= 0))
    return `retry.maxDelayMs must be 0 or more, got ${retry.maxDelayMs}`;
  if (retry.initialDelayMs !== undefined && retry.maxDelayMs !== undefined && retry.maxDelayMs < retry.initialDelayMs)
    return `retry.maxDelayMs (${retry.maxDelayMs}) is below retry.initialDelayMs (${retry.initialDelayMs})`;
  if (retry.jitter !== undefined && !(retry.jitter >= 0 && retry.jitter <= 1))
    return `retry.jitter must be between 0 and 1, got ${retry.jitter}`;
  return undefined;
}

/** The name a step class would get, for messages about it. */
export function stepLabel(step: unknown): string | undefined {
  if (typeof step !== 'function') return step === undefined ? undefined : String(step);
  return getStepOptions(step)?.name ?? step.name;
}

/**
 * Whether a class assigns an `execute` property (`execute = async (state) => ...`, compiled to a class field or to
 * `this.execute = ...` in the constructor): it cannot be seen on the prototype without constructing the class,
 * which needs its dependencies, so its source is read.
 */
function declaresExecuteProperty(stepClass: unknown): boolean {
  if (typeof stepClass !== 'function' || stepClass.prototype === undefined) return false;
  const source = Function.prototype.toString.call(stepClass);
  return source.startsWith('class') && /(^|[\s;{}])(this\.)?execute\s*=(?![=>])/.test(source);
}

/** @throws WorkflowDefinitionError `STRAT023` when `candidate` (a condition, guard or discriminator) is not a function. */
export function assertFunction(workflow: string, candidate: unknown, what: string): void {
  if (typeof candidate !== 'function') {
    throw new WorkflowDefinitionError(
      DiagnosticCode.NotAFunction,
      workflow,
      undefined,
      `${what} is ${candidate === null ? 'null' : typeof candidate}, not a function of the state; pass e.g. (s) => s.ready`,
    );
  }
}

/** @throws WorkflowDefinitionError `STRAT024` when the flow already ended the run with complete() or fail(). */
export function assertNotEnded<S extends WorkflowState>(
  workflow: string,
  constructs: readonly FlowConstruct<S>[],
  next: string | undefined,
): void {
  if (endsRun(constructs)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.UnreachableAfterEnd,
      workflow,
      next,
      'unreachable: the sub-flow already ends the run with complete() or fail(); remove what follows or move it before the end',
    );
  }
}

/** @throws WorkflowDefinitionError `STRAT026` for an empty failure code or message (validateState, fail). */
export function assertFailureCode(workflow: string, code: unknown, message: unknown, what: string): void {
  if (typeof code !== 'string' || code.trim() === '' || typeof message !== 'string') {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidFailureCode,
      workflow,
      undefined,
      `${what}() needs a non-empty code and a message, e.g. ${what}(${what === 'fail' ? '' : '(s) => s.amount > 0, '}'AMOUNT_NOT_POSITIVE', 'the amount must be positive')`,
    );
  }
}

/** @throws WorkflowDefinitionError `STRAT025` for a bad loop name, `STRAT022` for `maxIterations` below 1. */
export function assertLoopOptions(workflow: string, name: unknown, options: { readonly maxIterations?: unknown } | undefined): void {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !WORKFLOW_NAME_PATTERN.test(name)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidLoopName,
      workflow,
      undefined,
      `invalid loop name ${JSON.stringify(name)}; use lower-case kebab-case of 1 to ${MAX_NAME_LENGTH} characters, e.g. 'collect-documents'`,
    );
  }
  const max = options?.maxIterations;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidMaxIterations,
      workflow,
      name,
      `maxIterations of loop ${name} must be an integer of at least 1, got ${String(max)}`,
    );
  }
}

/**
 * Runs a sub-flow function on an empty flow and returns its constructs.
 * @throws WorkflowDefinitionError `emptyCode` (`STRAT020` for a case, `STRAT021` for a loop body) when it adds nothing,
 * `STRAT023` when it is not a function or does not return the flow.
 */
export function buildSubFlow<S extends WorkflowState, F>(
  workflow: string,
  emptyCode: DiagnosticCode,
  label: string,
  flow: unknown,
  emptyFlow: (workflow: string) => F,
): readonly FlowConstruct<S>[] {
  assertFunction(workflow, flow, `the sub-flow of ${label}`);
  const result = (flow as (start: F) => unknown)(emptyFlow(workflow)) as { constructs?: unknown } | undefined;
  if (!Array.isArray(result?.constructs)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.NotAFunction,
      workflow,
      undefined,
      `the sub-flow of ${label} does not return its flow; write it as (b) => b.then(Step)`,
    );
  }
  const constructs = result.constructs as readonly FlowConstruct<S>[];
  if (constructs.length === 0) {
    throw new WorkflowDefinitionError(
      emptyCode,
      workflow,
      undefined,
      `${label} is empty; give it at least one step, e.g. (b) => b.then(Step)`,
    );
  }
  return constructs;
}
