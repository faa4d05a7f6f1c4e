import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import { getStepOptions } from '../step/step.decorator';
import type { StepClass } from '../step/workflow-step.interface';
import { assertStepClass, assertStepDefinition, stepLabel } from './definition-validator';
import { DiagnosticCode } from './diagnostic-codes';
import type { FlowConstruct } from './flow-construct';
import type { ThenOptions } from './then-options.interface';
import type { StepDefinition, StepRole } from './workflow-definition';
import type { NodeId, StatePredicate, WorkflowGraph, WorkflowNode } from './workflow-graph';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** What compiling a definition's constructs gives: the graph and its steps. */
export interface CompiledWorkflow {
  readonly graph: WorkflowGraph;
  /** The forward steps in definition order (cases and loop bodies where they appear); the terminal step last. */
  readonly steps: readonly StepDefinition[];
  readonly onFailure: readonly StepDefinition[];
  readonly stepsByName: ReadonlyMap<string, StepDefinition>;
}

type StepConstruct<S extends WorkflowState> = Extract<FlowConstruct<S>, { kind: 'step' }>;

/**
 * Turns the builders' constructs into the immutable graph. `main` is the whole forward flow; when `hasFinally`,
 * its last construct is the `finally` step, where `complete()` leads.
 * @throws WorkflowDefinitionError `STRAT004` (a step name used twice), `STRAT025` (a loop name used twice),
 * `STRAT006` (compensation on the terminal step) and the step checks (`STRAT003`, `STRAT005`, `STRAT009`, `STRAT010`).
 */
export function compileGraph<S extends WorkflowState>(
  workflow: string,
  main: readonly FlowConstruct<S>[],
  hasFinally: boolean,
  failureChain: readonly StepConstruct<S>[],
): CompiledWorkflow {
  return new GraphCompiler<S>(workflow).compile(main, hasFinally, failureChain);
}

class GraphCompiler<S extends WorkflowState> {
  private readonly nodes = new Map<NodeId, WorkflowNode>();
  private readonly forward: StepDefinition[] = [];
  private readonly stepsByName = new Map<string, StepDefinition>();
  private readonly counters = new Map<string, number>();
  private finallyNode: NodeId | null = null;

  constructor(private readonly workflow: string) {}

  compile(main: readonly FlowConstruct<S>[], hasFinally: boolean, failureChain: readonly StepConstruct<S>[]): CompiledWorkflow {
    const terminal = main[main.length - 1];
    if (terminal?.kind === 'step' && terminal.options.compensate) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.CompensationOnTerminalStep,
        this.workflow,
        stepLabel(terminal.stepClass),
        'the terminal step has no later step that can fail, so it has nothing to compensate; remove compensate',
      );
    }
    if (hasFinally && terminal?.kind === 'step') this.finallyNode = stepName(terminal.stepClass, terminal.options);
    const entry = this.sequence(main, null);
    const failureSteps = failureChain.map((construct) => this.stepDefinition('onFailure', construct.stepClass, construct.options));
    failureSteps.forEach((step, index) => this.add({ kind: 'step', id: step.name, step, next: failureSteps[index + 1]?.name ?? null }));
    return {
      graph: Object.freeze({
        entry: entry!,
        failureEntry: failureSteps[0]?.name ?? null,
        finallyNode: this.finallyNode,
        nodes: this.nodes,
      }),
      steps: Object.freeze([...this.forward]),
      onFailure: Object.freeze(failureSteps),
      stepsByName: this.stepsByName,
    };
  }

  /** Compiles a flow whose last node leads to `next`; returns the id of its first node. */
  private sequence(constructs: readonly FlowConstruct<S>[], next: NodeId | null): NodeId | null {
    const ids = constructs.map((construct) => this.allocate(construct));
    constructs.forEach((construct, index) => this.node(construct, ids[index], ids[index + 1] ?? next));
    return ids[0] ?? next;
  }

  private allocate(construct: FlowConstruct<S>): NodeId {
    switch (construct.kind) {
      case 'step':
        return stepName(construct.stepClass, construct.options);
      case 'loop':
        return `loop:${construct.name}`;
      case 'wait':
        if (construct.wait !== 'sleep') return `signal:${construct.signal}`;
        return this.numbered('sleep');
      default:
        return this.numbered(construct.kind);
    }
  }

  private numbered(kind: string): NodeId {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}#${n}`;
  }

  private node(construct: FlowConstruct<S>, id: NodeId, next: NodeId | null): void {
    switch (construct.kind) {
      case 'step': {
        const step = this.stepDefinition('forward', construct.stepClass, construct.options);
        this.forward.push(step);
        return this.add({ kind: 'step', id, step, next });
      }
      case 'branch': {
        const cases = construct.cases.map(([value, flow]) => ({ value, entry: this.sequence(flow, next) ?? id }));
        const otherwise = construct.otherwise && this.sequence(construct.otherwise, next);
        const discriminator = construct.discriminator as (state: Readonly<JsonObject>) => unknown;
        return this.add({
          kind: 'branch',
          id,
          discriminator,
          label: sourceLabel(discriminator),
          cases,
          ...(otherwise ? { otherwise } : {}),
          next,
        });
      }
      case 'loop': {
        const check = `repeat:${construct.name}`;
        if (this.nodes.has(id)) {
          throw new WorkflowDefinitionError(
            DiagnosticCode.InvalidLoopName,
            this.workflow,
            construct.name,
            'two loops have this name; give each a distinct name',
          );
        }
        this.add({ kind: 'loop', id, name: construct.name, body: check, check, next });
        const body = this.sequence(construct.body, check)!;
        this.nodes.set(id, { kind: 'loop', id, name: construct.name, body, check, next });
        const until = construct.until as StatePredicate;
        return this.add({
          kind: 'repeat',
          id: check,
          loop: id,
          name: construct.name,
          until,
          label: sourceLabel(until),
          maxIterations: construct.maxIterations,
          body,
          next,
        });
      }
      case 'guard':
        return this.add({
          kind: 'guard',
          id,
          predicate: construct.predicate as StatePredicate,
          code: construct.code,
          message: construct.message,
          next,
        });
      case 'fork': {
        const join = id.replace(/^fork#/, 'join#');
        const joinStep = this.stepDefinition('forward', construct.join.stepClass, construct.join.options);
        const paths = construct.paths.map((path) => this.sequence(path, join)!);
        this.forward.push(joinStep);
        this.add({ kind: 'fork', id, paths, join });
        this.add({ kind: 'join', id: join, fork: id, next: joinStep.name });
        return this.add({ kind: 'step', id: joinStep.name, step: joinStep, next });
      }
      case 'wait':
        return this.waitNode(construct, id, next);
      case 'complete':
        return this.add({ kind: 'end', id, outcome: 'complete', next: this.finallyNode });
      case 'fail':
        return this.add({ kind: 'end', id, outcome: 'fail', code: construct.code, message: construct.message });
    }
  }

  private waitNode(construct: Extract<FlowConstruct<S>, { kind: 'wait' }>, id: NodeId, next: NodeId | null): void {
    if (construct.wait !== 'sleep' && this.nodes.has(id)) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.DuplicateSignalName,
        this.workflow,
        construct.signal,
        'two waits have this signal name; a signal names one wait of a workflow, give the other a distinct name',
      );
    }
    // Reserve the id first: a nested wait of the same name in onTimeout/onRejection is a duplicate.
    this.nodes.set(id, { kind: 'wait', id, wait: construct.wait, label: id, next });
    const onTimeout = construct.onTimeout && this.sequence(construct.onTimeout, next);
    const onRejection = construct.onRejection && this.sequence(construct.onRejection, next);
    const sleepUntil = construct.sleepUntil as ((state: Readonly<JsonObject>) => Date) | undefined;
    const label =
      construct.wait === 'signal'
        ? `AwaitSignal(${construct.signal})`
        : construct.wait === 'approval'
          ? `AwaitApproval(${construct.signal})`
          : sleepUntil
            ? `SleepUntil(${sourceLabel(sleepUntil)})`
            : `Sleep(${construct.sleepMs}ms)`;
    this.add({
      kind: 'wait',
      id,
      wait: construct.wait,
      ...(construct.signal !== undefined ? { signal: construct.signal } : {}),
      ...(construct.payload ? { payload: construct.payload } : {}),
      ...(construct.apply
        ? { apply: construct.apply as unknown as (state: Readonly<JsonObject>, payload: Readonly<JsonObject>) => object }
        : {}),
      ...(construct.timeoutMs !== undefined ? { timeoutMs: construct.timeoutMs } : {}),
      ...(onTimeout !== undefined ? { onTimeout } : {}),
      ...(onRejection !== undefined ? { onRejection } : {}),
      ...(construct.sleepMs !== undefined ? { sleepMs: construct.sleepMs } : {}),
      ...(sleepUntil ? { sleepUntil } : {}),
      ...(construct.when ? { when: construct.when as StatePredicate, whenLabel: sourceLabel(construct.when as StatePredicate) } : {}),
      label,
      next,
    });
  }

  private add(node: WorkflowNode): void {
    this.nodes.set(node.id, Object.freeze(node));
  }

  private stepDefinition(role: StepRole, stepClass: StepClass<S>, options: ThenOptions<S>): StepDefinition {
    assertStepClass(this.workflow, stepClass);
    const compensation = role === 'forward' && options.compensate ? this.unregistered('compensation', options.compensate, {}) : undefined;
    const step = this.unregistered(role, stepClass, options, compensation);
    for (const defined of compensation ? [step, compensation] : [step]) this.register(defined);
    return step;
  }

  private unregistered(role: StepRole, stepClass: StepClass<S>, options: ThenOptions<S>, compensation?: StepDefinition): StepDefinition {
    assertStepClass(this.workflow, stepClass);
    const declared = getStepOptions(stepClass) ?? {};
    const step: StepDefinition = Object.freeze({
      name: stepName(stepClass, options),
      role,
      stepClass: stepClass as unknown as StepClass,
      timeoutMs: options.timeoutMs ?? declared.timeoutMs,
      retry: Object.freeze({ ...definedFields(declared.retry), ...definedFields(options.retry) }),
      compensation,
    });
    assertStepDefinition(this.workflow, step);
    return step;
  }

  private register(step: StepDefinition): void {
    if (this.stepsByName.has(step.name)) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.DuplicateStepName,
        this.workflow,
        step.name,
        'two steps of the workflow have this name; a step runs at one place of a workflow, give the other a distinct name with then(Step, { name }) or @Step({ name })',
      );
    }
    this.stepsByName.set(step.name, step);
  }
}

function stepName<S extends WorkflowState>(stepClass: StepClass<S>, options: ThenOptions<S>): string {
  return options.name ?? stepLabel(stepClass) ?? String(stepClass);
}

/** The fields whose value is not undefined, so that `{ maxAttempts: undefined }` (an unset config value) does not erase the @Step value. */
function definedFields<T extends object>(fields: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(fields ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** `(s) => s.riskBand` -> `s.riskBand`: the body of a condition, on one line, for diagrams (without `:` or `;`, which end Mermaid labels). */
function sourceLabel(condition: (state: Readonly<JsonObject>) => unknown): string {
  const source = Function.prototype.toString.call(condition);
  const arrow = source.indexOf('=>');
  const body = (arrow >= 0 ? source.slice(arrow + 2) : source)
    .replace(/^\s*\{\s*return\s+/, '')
    .replace(/;?\s*\}\s*$/, '')
    .replace(/[:;"]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const label = body.length > 60 ? `${body.slice(0, 57)}...` : body;
  return label === '' ? 'condition' : label;
}
