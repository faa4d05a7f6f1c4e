import type { WorkflowState } from '../state/workflow-state.interface';
import type { StepClass } from '../step/workflow-step.interface';
import { assertFailureCode, assertFunction, assertLoopOptions, assertNotEnded, buildSubFlow, stepLabel } from './definition-validator';
import { DiagnosticCode } from './diagnostic-codes';
import type { FlowConstruct } from './flow-construct';
import { type ForkJoin, forkOf } from './fork-builder';
import type { ThenOptions } from './then-options.interface';
import { ApprovalDecision } from './approval-decision.dto';
import type { AwaitApprovalOptions, AwaitSignalOptions, WaitSubFlow } from './wait-options.interface';
import { assertDurationMs, assertOptionalFunction, assertSignalName } from './wait-validator';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** The values a branch discriminator may return; cases are keyed by their string form. */
export type BranchValue = string | number | boolean;

/** A sub-flow of a branch case or a loop body: receives an empty flow, returns it with its constructs. */
export type SubFlow<S extends WorkflowState> = (flow: FlowBuilder<S>) => FlowBuilder<S> | EndedFlow<S>;

/**
 * The cases of a branch: one per value of the discriminator's type (exhaustive over a union at compile time),
 * or some of them plus `otherwise` for the rest.
 */
export type BranchCases<S extends WorkflowState, V extends BranchValue> =
  { readonly [K in `${V}`]: SubFlow<S> } | ({ readonly [K in `${V}`]?: SubFlow<S> } & { readonly otherwise: SubFlow<S> });

/** Options of `repeatUntil`. */
export interface RepeatOptions {
  /** Passes allowed; one more fails the run with `LOOP_LIMIT_EXCEEDED`. An integer of at least 1. */
  readonly maxIterations: number;
}

/** A flow that ended the run with `complete()` or `fail()`: nothing may follow (`STRAT024`). */
export interface EndedFlow<S extends WorkflowState> {
  /** @internal The constructs of the flow. */
  readonly constructs: readonly FlowConstruct<S>[];
  readonly ended: true;
}

/**
 * The constructs every flow has: steps, branches, loops and guards. Each call returns a new builder.
 * Subclasses decide what a call returns (a sub-flow, or the workflow builder).
 */
export abstract class FlowConstructs<S extends WorkflowState, Self> {
  protected constructor(
    protected readonly workflow: string,
    /** @internal The constructs so far, in call order. */
    readonly constructs: readonly FlowConstruct<S>[],
  ) {}

  protected abstract with(construct: FlowConstruct<S>): Self;

  /** The next step, optionally with its compensation and a name of its own (`{ name }`, for a class used twice). */
  then(step: StepClass<S>, options: ThenOptions<S> = {}): Self {
    return this.with({ kind: 'step', stepClass: step, options });
  }

  /**
   * Chooses a sub-flow by `discriminator(state)`, evaluated right after the step before it. Cases rejoin the
   * flow after the branch. A value with no case and no `otherwise` fails the run with `BRANCH_NO_CASE`.
   * @throws WorkflowDefinitionError `STRAT020` for an empty case, `STRAT023` when the discriminator is not a function.
   */
  branch<V extends BranchValue>(discriminator: (state: Readonly<S>) => V, cases: BranchCases<S, NoInfer<V>>): Self {
    assertFunction(this.workflow, discriminator, 'the branch discriminator');
    if (typeof cases !== 'object' || cases === null) {
      throw new WorkflowDefinitionError(DiagnosticCode.EmptyCase, this.workflow, undefined, 'branch() needs an object of cases');
    }
    const entries = Object.entries(cases as Record<string, SubFlow<S> | undefined>).filter(
      (entry): entry is [string, SubFlow<S>] => entry[1] !== undefined,
    );
    const built = entries.map(
      ([value, flow]) => [value, buildSubFlow(this.workflow, DiagnosticCode.EmptyCase, `case ${value}`, flow, subFlowOf)] as const,
    );
    const otherwise = built.find(([value]) => value === 'otherwise')?.[1];
    const keyed = built.filter(([value]) => value !== 'otherwise');
    if (keyed.length === 0 && !otherwise) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.EmptyCase,
        this.workflow,
        undefined,
        'branch() has no case; give one sub-flow per value',
      );
    }
    return this.with({
      kind: 'branch',
      discriminator: discriminator as (state: Readonly<S>) => unknown,
      cases: keyed,
      ...(otherwise ? { otherwise } : {}),
    });
  }

  /**
   * Runs `body` once, then again until `until(state)` holds after a pass (checked after each pass, in the
   * same transition as the body's last step). One pass more than `maxIterations` fails the run with `LOOP_LIMIT_EXCEEDED`.
   * @throws WorkflowDefinitionError `STRAT021` (empty body), `STRAT022` (`maxIterations` < 1), `STRAT023`, `STRAT025` (name).
   */
  repeatUntil(until: (state: Readonly<S>) => boolean, name: string, body: SubFlow<S>, options: RepeatOptions): Self {
    assertFunction(this.workflow, until, `the condition of loop ${name}`);
    assertLoopOptions(this.workflow, name, options);
    const constructs = buildSubFlow(this.workflow, DiagnosticCode.EmptyLoopBody, `loop ${name}`, body, subFlowOf);
    if (
      !constructs.some(
        (construct) =>
          construct.kind === 'step' ||
          construct.kind === 'branch' ||
          construct.kind === 'loop' ||
          construct.kind === 'fork' ||
          construct.kind === 'wait',
      )
    ) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.EmptyLoopBody,
        this.workflow,
        name,
        'the loop body runs no step; add one with then()',
      );
    }
    return this.with({ kind: 'loop', name, until, body: constructs, maxIterations: options.maxIterations });
  }

  /**
   * Checks the state right after the step before it: a false `predicate` fails the run with `code` (no retry); compensation follows.
   * @throws WorkflowDefinitionError `STRAT023` when the predicate is not a function, `STRAT026` for an empty code.
   */
  validateState(predicate: (state: Readonly<S>) => boolean, code: string, message: string): Self {
    assertFunction(this.workflow, predicate, `the validateState predicate (${String(code)})`);
    assertFailureCode(this.workflow, code, message, 'validateState');
    return this.with({ kind: 'guard', predicate, code, message });
  }

  /**
   * Parks the run durably until the signal `name` arrives (`control.signal(id, name, payload)`), then applies
   * `apply(state, payload)` and goes on. A signal sent before the run gets here is kept and consumed here.
   * Past `timeoutMs` the run takes `onTimeout`, or fails with `SIGNAL_TIMEOUT`.
   * @throws WorkflowDefinitionError `STRAT030` (name), `STRAT031` (options), `STRAT032` (a signal name used twice).
   */
  awaitSignal<P extends object = Record<string, never>>(name: string, options: AwaitSignalOptions<S, P> = {}): Self {
    assertSignalName(this.workflow, name);
    assertDurationMs(this.workflow, `timeoutMs of signal ${name}`, options.timeoutMs, true);
    assertOptionalFunction(this.workflow, `payload of signal ${name}`, options.payload);
    assertOptionalFunction(this.workflow, `apply of signal ${name}`, options.apply);
    assertOptionalFunction(this.workflow, `when of signal ${name}`, options.when);
    return this.with({
      kind: 'wait',
      wait: 'signal',
      signal: name,
      ...(options.payload ? { payload: options.payload } : {}),
      ...(options.apply ? { apply: options.apply as (state: Readonly<S>, payload: never) => object } : {}),
      ...(options.when ? { when: options.when } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...this.waitPath('onTimeout', `timeout of signal ${name}`, options.onTimeout),
    });
  }

  /**
   * Parks the run until `control.approve(id, name, { by, comment })` or `control.reject(...)`: a signal whose
   * payload is an {@link ApprovalDecision}. A rejection takes `onRejection` (or fails with `APPROVAL_REJECTED`).
   * @throws WorkflowDefinitionError `STRAT030`, `STRAT031`, `STRAT032`.
   */
  awaitApproval(name: string, options: AwaitApprovalOptions<S> = {}): Self {
    assertSignalName(this.workflow, name);
    assertDurationMs(this.workflow, `timeoutMs of approval ${name}`, options.timeoutMs, true);
    assertOptionalFunction(this.workflow, `apply of approval ${name}`, options.apply);
    assertOptionalFunction(this.workflow, `when of approval ${name}`, options.when);
    return this.with({
      kind: 'wait',
      wait: 'approval',
      signal: name,
      payload: ApprovalDecision,
      ...(options.apply ? { apply: options.apply as (state: Readonly<S>, payload: never) => object } : {}),
      ...(options.when ? { when: options.when } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...this.waitPath('onTimeout', `timeout of approval ${name}`, options.onTimeout),
      ...this.waitPath('onRejection', `rejection of approval ${name}`, options.onRejection),
    });
  }

  /**
   * A durable timer: the run parks (no worker busy) and goes on after `ms`, even across restarts.
   * @throws WorkflowDefinitionError `STRAT031` unless `ms` is a positive integer.
   */
  sleep(ms: number): Self {
    assertDurationMs(this.workflow, 'sleep()', ms, false);
    return this.with({ kind: 'wait', wait: 'sleep', sleepMs: ms });
  }

  /**
   * A durable timer until `until(state)` (a date; one in the past goes on at once).
   * @throws WorkflowDefinitionError `STRAT023` when `until` is not a function.
   */
  sleepUntil(until: (state: Readonly<S>) => Date): Self {
    assertFunction(this.workflow, until, 'the sleepUntil date');
    return this.with({ kind: 'wait', wait: 'sleep', sleepUntil: until });
  }

  private waitPath(key: 'onTimeout' | 'onRejection', label: string, flow: WaitSubFlow<S> | undefined) {
    if (flow === undefined) return {};
    return { [key]: buildSubFlow(this.workflow, DiagnosticCode.EmptyCase, label, flow, subFlowOf) };
  }
}

// --- Parallel paths (fork/join) ---

export abstract class ParallelFlowConstructs<S extends WorkflowState, Self> extends FlowConstructs<S, Self> {
  /**
   * Runs `paths` at the same time, each as ordinary step messages (so they spread over workers), each from the
   * state at the fork; `join(Step)` runs once after every path finished, on the merged state.
   * @throws WorkflowDefinitionError `STRAT027` (fewer than two paths, an empty path, a path that ends the run).
   */
  fork(...paths: readonly SubFlow<S>[]): ForkJoin<S, Self> {
    return forkOf<S, FlowBuilder<S>, Self>(this.workflow, paths, subFlowOf, (construct) => this.with(construct));
  }
}

/** A sub-flow: the body of a branch case or a loop; may end the run with `complete()` or `fail()`. */
export class FlowBuilder<S extends WorkflowState> extends ParallelFlowConstructs<S, FlowBuilder<S>> {
  constructor(workflow: string, constructs: readonly FlowConstruct<S>[] = []) {
    super(workflow, constructs);
  }

  protected with(construct: FlowConstruct<S>): FlowBuilder<S> {
    assertNotEnded(this.workflow, this.constructs, construct.kind === 'step' ? stepLabel(construct.stepClass) : construct.kind);
    return new FlowBuilder<S>(this.workflow, [...this.constructs, construct]);
  }

  /** Ends the run early as `completed` (the `finally` step still runs). Nothing may follow. */
  complete(): EndedFlow<S> {
    assertNotEnded(this.workflow, this.constructs, 'complete()');
    return endedFlow(this.workflow, [...this.constructs, { kind: 'complete' }]);
  }

  /** Ends the run early on its failure path with `code` (compensation, onFailure). Nothing may follow. */
  fail(code: string, message: string): EndedFlow<S> {
    assertNotEnded(this.workflow, this.constructs, 'fail()');
    assertFailureCode(this.workflow, code, message, 'fail');
    return endedFlow(this.workflow, [...this.constructs, { kind: 'fail', code, message }]);
  }
}

function subFlowOf<S extends WorkflowState>(workflow: string): FlowBuilder<S> {
  return new FlowBuilder<S>(workflow);
}

/**
 * An ended flow. Its type has no builder methods (a compile-time error); at run time, for plain JavaScript,
 * they exist and throw `STRAT024`.
 */
function endedFlow<S extends WorkflowState>(workflow: string, constructs: readonly FlowConstruct<S>[]): EndedFlow<S> {
  const unreachable = (what: string) => () => assertNotEnded(workflow, constructs, what);
  return Object.freeze({
    constructs,
    ended: true as const,
    ...Object.fromEntries(
      [
        'then',
        'branch',
        'repeatUntil',
        'validateState',
        'awaitSignal',
        'awaitApproval',
        'sleep',
        'sleepUntil',
        'fork',
        'complete',
        'fail',
      ].map((method) => [method, unreachable(`${method}()`)]),
    ),
  });
}

/** The onFailure chain: steps that run one after the other after compensation, each retried by its policy. */
export class FailureChain<S extends WorkflowState> {
  constructor(
    private readonly workflow: string,
    /** @internal The steps so far. */
    readonly constructs: readonly Extract<FlowConstruct<S>, { kind: 'step' }>[] = [],
  ) {}

  /** The next step of the chain (`compensate` does not apply on the failure path). */
  then(step: StepClass<S>, options: Omit<ThenOptions<S>, 'compensate'> = {}): FailureChain<S> {
    return new FailureChain<S>(this.workflow, [...this.constructs, { kind: 'step', stepClass: step, options }]);
  }
}
