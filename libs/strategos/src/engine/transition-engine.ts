import { Phase } from '../definition/phases';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition';
import { applyPatch } from '../state/apply-patch';
import { StateUpdateError } from '../state/state-update.error';
import type { JsonObject } from '../state/workflow-state.interface';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from '../step/retry-policy';
import type { StepCommand } from './step-command';
import type { StepOutcome } from './step-outcome';
import type { Transition, TransitionContext } from './transition';
import { addIteration, type GraphPosition, iterationData, TransitionDraft } from './transition-draft';
import { walkGraph } from './graph-walk';
import { consumeSignal, enterWait, type WaitLane, waitTimerFired } from './wait-rules';
import type { NodeId, WaitNode } from '../definition/workflow-graph';
import { DEADLINE_EXCEEDED, SIGNAL_NOT_ACCEPTED } from './wait-codes';
import { TransitionRejectedError } from './transition-rejected.error';
import { ForkJoinRules, pathIndexOf } from './fork-join';
import {
  MAX_REMEMBERED_SIGNAL_IDS,
  positionFor,
  type LoopIteration,
  type ReceivedSignal,
  type RecordedError,
  type StepCursor,
  type WorkflowInstance,
} from './workflow-instance';

/** Options of {@link TransitionEngine.start}. */
export interface EngineStartOptions {
  /** Overrides the definition's `deadlineMs` for this run. */
  readonly deadlineMs?: number;
}

/** What became of a signal: consumed by the wait, kept for a later wait, or a repeat of one already received. */
export type SignalDisposition = 'applied' | 'stored' | 'duplicate';

/** Error code of a step whose technical failures exhausted its retry policy. */
export const STEP_EXHAUSTED = 'STEP_EXHAUSTED';
/** Error code of an instance whose current step is no longer in its workflow's definition. */
export const STEP_NOT_IN_DEFINITION = 'STEP_NOT_IN_DEFINITION';

/**
 * The pure core of Strategos: given a definition, an instance record and what happened,
 * returns the next record, the events to record and the commands to send.
 * Knows nothing of brokers or databases; time, ids and randomness come in through the context.
 */
export class TransitionEngine {
  private readonly forks = new ForkJoinRules({
    continueAt: (draft, from, iterations) => this.continueAt(draft, from, iterations),
    beginFailurePath: (draft) => this.beginFailurePath(draft),
    retryPolicy: (step) => this.retryPolicy(step),
  });

  constructor(private readonly defaultRetry: RetryPolicy = DEFAULT_RETRY_POLICY) {}

  /** A new instance at its first step. */
  start(definition: WorkflowDefinition, state: JsonObject, context: TransitionContext, options: EngineStartOptions = {}): Transition {
    const now = context.now.toISOString();
    const draft = new TransitionDraft(
      definition,
      {
        workflowId: String(state.workflowId),
        workflowName: definition.name,
        state,
        phase: Phase.NotStarted,
        status: 'running',
        version: 0,
        sequence: 0,
        cursor: null,
        completedSteps: [],
        error: null,
        compensationError: null,
        cancelReason: null,
        startedAt: now,
        updatedAt: now,
        completedAt: null,
      },
      context,
    );
    const deadlineMs = options.deadlineMs ?? definition.deadlineMs;
    draft.emit('Started', {
      state,
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      // The run's trace, kept in its history (the dashboard shows its trace id for any run).
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    });
    if (deadlineMs !== undefined) {
      const at = new Date(context.now.getTime() + deadlineMs);
      const timerId = context.newId();
      draft.instance.control = { deadline: { at: at.toISOString(), timerId } };
      draft.schedule(timerId, 'deadline', at);
    }
    this.continueAt(draft, definition.graph.entry, []);
    return draft.toTransition();
  }

  /**
   * Whether `command` is the one the instance waits for (same message id, step and role); any other is a
   * duplicate or stale and changes nothing.
   */
  isCurrent(instance: WorkflowInstance, command: Pick<StepCommand, 'messageId' | 'step' | 'role'>): boolean {
    const cursor = positionFor(instance, command.messageId);
    return instance.status === 'running' && cursor !== undefined && cursor.step === command.step && cursor.role === command.role;
  }

  /**
   * Applies the outcome of the current command's step. The caller checked {@link isCurrent}. Inside a fork, the
   * command (`context.causationId`) names the path whose step ran.
   */
  applyOutcome(definition: WorkflowDefinition, instance: WorkflowInstance, outcome: StepOutcome, context: TransitionContext): Transition {
    const draft = new TransitionDraft(definition, instance, context);
    const pathIndex = pathIndexOf(instance, context.causationId);
    const cursor = pathIndex >= 0 ? instance.fork!.paths[pathIndex].cursor : instance.cursor;
    const step = cursor && stepAt(definition, cursor);
    if (!cursor || !step) {
      const name = cursor?.step ?? instance.phase;
      this.fail(draft, {
        code: STEP_NOT_IN_DEFINITION,
        message: `Step ${name} is not a ${cursor?.role ?? ''} step of ${definition.name} any more; deploy a definition that has it, then retry the workflow`,
        step: name,
      });
      return draft.toTransition();
    }
    if (pathIndex >= 0) {
      this.forks.applyOutcome(draft, pathIndex, step, outcome);
      return draft.toTransition();
    }
    if (outcome.kind === 'errored' && cursor.attempt < this.retryPolicy(step).maxAttempts) {
      const delayMs = retryDelayMs(this.retryPolicy(step), cursor.attempt + 1, context.random());
      draft.emit('StepFailed', {
        step: step.name,
        attempt: cursor.attempt,
        code: outcome.timedOut ? 'STEP_TIMEOUT' : 'STEP_ERROR',
        message: outcome.message,
        willRetry: true,
        retryInMs: delayMs,
        ...iterationData(cursor.iterations),
      });
      draft.issue(step, cursor.role, cursor.attempt + 1, delayMs, positionOf(cursor));
      return draft.toTransition();
    }
    const checked = rejectInvalidPatch(instance.state, outcome, step.name);
    if (checked.kind === 'succeeded') {
      draft.instance.state = applyPatch(instance.state, checked.patch, step.name);
      draft.emit('StepCompleted', addIteration({ step: step.name, attempt: cursor.attempt, patch: checked.patch }, cursor.iterations));
      this.afterSuccess(draft, step, cursor);
    } else if (checked.kind === 'skipped') {
      this.beginFailurePath(draft);
    } else {
      const error = toRecordedError(step.name, checked, cursor.iterations);
      draft.emit('StepFailed', {
        step: step.name,
        attempt: cursor.attempt,
        code: error.code,
        message: error.message,
        willRetry: false,
        ...iterationData(cursor.iterations),
      });
      this.afterFailure(draft, step, error);
    }
    return draft.toTransition();
  }

  /**
   * Cancels a running instance. When its current step has not started (no worker recorded its start: the
   * command waits in its queue or for its retry delay), the cancel takes effect at once: compensation starts
   * (or the instance ends `cancelled`) and that command is skipped when it arrives. When the step has started,
   * it finishes (or times out) first; then compensation runs and the instance ends `cancelled`.
   * @throws TransitionRejectedError `WORKFLOW_NOT_RUNNING` or `WORKFLOW_ALREADY_CANCELLING`.
   */
  requestCancel(definition: WorkflowDefinition, instance: WorkflowInstance, reason: string, context: TransitionContext): Transition {
    if (instance.status !== 'running') {
      throw new TransitionRejectedError(
        'WORKFLOW_NOT_RUNNING',
        instance.workflowId,
        `Workflow ${instance.workflowId} is ${instance.status}; only a running workflow can be cancelled`,
      );
    }
    if (instance.cancelReason !== null || (instance.fork ? instance.fork.stopping : instance.cursor?.role !== 'forward')) {
      throw new TransitionRejectedError(
        'WORKFLOW_ALREADY_CANCELLING',
        instance.workflowId,
        `Workflow ${instance.workflowId} is already on its cancel or failure path`,
      );
    }
    const draft = new TransitionDraft(definition, instance, context);
    draft.instance.cancelReason = reason;
    draft.emit('CancelRequested', { reason, step: instance.cursor?.step ?? instance.phase });
    // A step not started yet, or a run parked at a wait (no step in flight): compensation starts now.
    if (instance.fork) this.forks.cancel(draft);
    else if (instance.cursor?.startedAt === undefined) this.beginFailurePath(draft);
    return draft.toTransition();
  }

  /**
   * Receives a validated signal: a run parked at this signal's wait consumes it (its patch applied, the run goes
   * on), and so does a fork path parked there (the patch goes to that path); otherwise the run keeps it for that
   * wait (consumed in order of arrival, one per wait, when the main flow or a path arrives). A signal id already
   * received changes nothing (`duplicate`, no transition).
   * @throws TransitionRejectedError `SIGNAL_NOT_ACCEPTED` when the run is finished, cancelling or on its failure path.
   */
  receiveSignal(
    definition: WorkflowDefinition,
    instance: WorkflowInstance,
    signal: ReceivedSignal,
    context: TransitionContext,
  ): { readonly disposition: SignalDisposition; readonly transition: Transition | null } {
    const cursor = instance.cursor;
    const accepts = cursor === null ? instance.fork !== undefined && instance.fork !== null : cursor.role === 'forward';
    if (instance.status !== 'running' || instance.cancelReason !== null || !accepts) {
      throw new TransitionRejectedError(
        SIGNAL_NOT_ACCEPTED,
        instance.workflowId,
        `Workflow ${instance.workflowId} is ${instance.cancelReason !== null ? 'cancelling' : instance.status === 'running' ? 'on its failure path' : instance.status}; it accepts no signal (${signal.name})`,
      );
    }
    const control = instance.control ?? {};
    if (control.signalIds?.includes(signal.signalId)) return { disposition: 'duplicate', transition: null };
    const draft = new TransitionDraft(definition, instance, context);
    const signalIds = [...(control.signalIds ?? []), signal.signalId].slice(-MAX_REMEMBERED_SIGNAL_IDS);
    // The main cursor or a fork path parked at this signal's wait consumes it; otherwise it is kept for that wait.
    const waiting = (position: StepCursor | null | undefined): WaitNode | undefined => {
      const node = position?.wait?.signal === signal.name ? definition.graph.nodes.get(position.node ?? '') : undefined;
      return node?.kind === 'wait' ? node : undefined;
    };
    const pathIndex = instance.fork?.paths.findIndex((path) => waiting(path.cursor) !== undefined) ?? -1;
    const node = pathIndex >= 0 ? waiting(instance.fork!.paths[pathIndex].cursor) : waiting(cursor);
    draft.instance.control = {
      ...control,
      signalIds,
      ...(node ? {} : { pendingSignals: [...(control.pendingSignals ?? []), signal] }),
    };
    draft.emit('SignalReceived', {
      signal: signal.name,
      signalId: signal.signalId,
      payload: signal.payload,
      stored: node === undefined,
      ...(node && pathIndex >= 0 ? { path: instance.fork!.paths[pathIndex].path } : {}),
    });
    if (node && pathIndex >= 0) this.forks.receiveSignal(draft, pathIndex, node, signal);
    else if (node) consumeSignal(this.mainLane(draft), node, signal, cursor?.iterations ?? []);
    return { disposition: node ? 'applied' : 'stored', transition: draft.toTransition() };
  }

  /**
   * A durable timer fell due. The run's (or a fork path's) current wait timer ends its sleep or times its signal
   * wait out (to `onTimeout`, or the failure path with `SIGNAL_TIMEOUT`); the deadline timer cancels a run still going
   * (`DEADLINE_EXCEEDED`, then compensation). A timer that no longer matches a running instance (the signal
   * won, the run moved on) is recorded as ignored; for a finished run, nothing (null).
   */
  fireTimer(definition: WorkflowDefinition, instance: WorkflowInstance, timerId: string, context: TransitionContext): Transition | null {
    if (instance.status !== 'running') return null;
    const cursor = instance.cursor;
    const draft = new TransitionDraft(definition, instance, context);
    if (instance.control?.deadline?.timerId === timerId) {
      const forked = cursor === null && instance.fork !== undefined && instance.fork !== null;
      if (instance.cancelReason !== null || (!forked && cursor?.role !== 'forward')) return null;
      draft.emit('TimerFired', { timerId, purpose: 'deadline', dueAt: instance.control.deadline.at });
      draft.instance.cancelReason = DEADLINE_EXCEEDED;
      draft.instance.error = {
        code: DEADLINE_EXCEEDED,
        message: `Workflow ${instance.workflowId} passed its deadline (${instance.control.deadline.at})`,
        step: cursor ? (cursor.node ?? cursor.step) : instance.phase,
      };
      draft.emit('CancelRequested', { reason: DEADLINE_EXCEEDED, step: cursor?.step ?? instance.phase });
      // Inside a fork: paths not started stop now, the others finish their step; then compensation.
      if (forked) this.forks.cancel(draft);
      else if (cursor?.startedAt === undefined) this.beginFailurePath(draft);
      return draft.toTransition();
    }
    const node = cursor?.wait?.timerId === timerId ? definition.graph.nodes.get(cursor.node ?? '') : undefined;
    if (cursor?.wait && node?.kind === 'wait') {
      waitTimerFired(draft, this.mainLane(draft), node, cursor, timerId);
      return draft.toTransition();
    }
    // A wait inside a fork path: its timer moves that path only.
    const pathIndex = instance.fork?.paths.findIndex((path) => path.cursor?.wait?.timerId === timerId) ?? -1;
    const pathNode = pathIndex >= 0 ? definition.graph.nodes.get(instance.fork!.paths[pathIndex].cursor!.node ?? '') : undefined;
    if (pathNode?.kind === 'wait') {
      this.forks.fireTimer(draft, pathIndex, pathNode, timerId);
      return draft.toTransition();
    }
    draft.emit('TimerFired', { timerId, ignored: true, reason: 'the run no longer waits for this timer' });
    return draft.toTransition();
  }

  /**
   * Resumes a `failed` instance from the step that failed, with a new attempt counter.
   * @throws TransitionRejectedError `WORKFLOW_NOT_RETRYABLE` when the instance is not failed, its compensation failed, or the failed step is gone.
   */
  retry(definition: WorkflowDefinition, instance: WorkflowInstance, context: TransitionContext): Transition {
    const step = instance.error && definition.stepsByName.get(instance.error.step);
    // A compensated run ends `compensated`; a `failed` one compensated nothing unless a compensation failed.
    // A step of a fork path cannot resume alone: its fork's other paths are gone.
    if (
      instance.status !== 'failed' ||
      !step ||
      step.role !== 'forward' ||
      instance.compensationError ||
      instance.error?.path !== undefined
    ) {
      throw new TransitionRejectedError(
        'WORKFLOW_NOT_RETRYABLE',
        instance.workflowId,
        `Workflow ${instance.workflowId} cannot be retried: only a failed workflow whose failed step is still defined and whose completed steps were not compensated can resume`,
      );
    }
    const draft = new TransitionDraft(definition, instance, context);
    draft.instance.status = 'running';
    draft.instance.completedAt = null;
    draft.emit('Retried', { step: step.name, previousError: { code: instance.error!.code, message: instance.error!.message } });
    const iterations = instance.error!.iterations ?? [];
    draft.instance.error = null;
    draft.moveTo(step, 'forward', { node: step.name, iterations });
    return draft.toTransition();
  }

  private afterSuccess(draft: TransitionDraft, step: StepDefinition, cursor: StepCursor): void {
    const { definition, instance } = draft;
    if (step.role === 'forward') {
      instance.completedSteps = [...instance.completedSteps, step.name];
      if (instance.cancelReason !== null) return this.beginFailurePath(draft);
      const node = definition.graph.nodes.get(cursor.node ?? step.name);
      this.continueAt(draft, node?.kind === 'step' ? node.next : null, cursor.iterations ?? []);
    } else if (step.role === 'compensation') {
      this.continueCompensation(draft, step, cursor);
    } else {
      const node = definition.graph.nodes.get(cursor.node ?? step.name);
      const next = node?.kind === 'step' && node.next !== null ? definition.graph.nodes.get(node.next) : undefined;
      if (next?.kind === 'step') draft.moveTo(next.step, 'onFailure', { node: next.id });
      else this.finishFailure(draft);
    }
  }

  /**
   * Walks the graph from `from` (branches, loop checks, guards and ends are decided here, on the state just
   * committed) to the next step, the end of the run, or a failure.
   */
  private continueAt(draft: TransitionDraft, from: NodeId | null, iterations: readonly LoopIteration[]): void {
    const stop = walkGraph(draft.definition.graph, draft.instance.state, from, iterations);
    if (stop.kind === 'wait') {
      enterWait(draft, this.mainLane(draft), stop.node, stop.iterations);
    } else if (stop.kind === 'step') {
      draft.moveTo(stop.node.step, 'forward', { node: stop.node.id, iterations: stop.iterations });
    } else if (stop.kind === 'fork') {
      this.forks.enter(draft, stop.node, stop.iterations);
    } else if (stop.kind === 'joined') {
      draft.instance.error = {
        code: 'NODE_NOT_IN_DEFINITION',
        message: `the run reached ${stop.node.id} outside its fork`,
        step: stop.node.id,
      };
      this.beginFailurePath(draft);
    } else if (stop.kind === 'completed') {
      draft.finish('completed', Phase.Completed);
      draft.emit('Completed', { state: draft.instance.state });
    } else {
      // A guard, branch, loop limit or fail(): the failure path, with the error naming the node.
      draft.instance.error = stop.error;
      this.beginFailurePath(draft);
    }
  }

  /** The main flow as the lane of its waits. */
  private mainLane(draft: TransitionDraft): WaitLane {
    const instance = draft.instance;
    return {
      state: () => instance.state,
      applyPatch: (patch, source) => {
        instance.state = applyPatch(instance.state, patch, source);
      },
      enterPhase: (label, extra) => {
        draft.emit('PhaseChanged', { from: instance.phase, to: label, ...extra });
        instance.phase = label;
      },
      park: (node, wait, iterations) => draft.park(node.id, node.label, wait, iterations),
      continueAt: (from, iterations) => this.continueAt(draft, from, iterations),
      fail: (error) => {
        instance.error = error;
        this.beginFailurePath(draft);
      },
    };
  }

  private afterFailure(draft: TransitionDraft, step: StepDefinition, error: RecordedError): void {
    if (step.role === 'forward') {
      draft.instance.error = error;
      this.beginFailurePath(draft);
    } else {
      // A compensation or an onFailure step failed: the run ends `failed`, with the original error and this one.
      draft.instance.compensationError = error;
      draft.finish('failed', Phase.Failed);
      draft.emit('Failed', {
        status: 'failed',
        error: recordedErrorJson(draft.instance.error),
        compensationError: recordedErrorJson(error),
      });
    }
  }

  /** After a business failure, an exhausted step or a cancel: compensation in reverse order, then onFailure. */
  private beginFailurePath(draft: TransitionDraft): void {
    const compensations = this.compensationsFor(draft.definition, draft.instance.completedSteps);
    if (compensations.length === 0) return this.afterCompensation(draft, false);
    draft.emit('Compensating', {
      from: draft.instance.phase,
      reason: draft.instance.cancelReason ?? draft.instance.error?.code ?? null,
      steps: compensations.map((s) => s.name),
    });
    draft.instance.phase = Phase.Compensating;
    draft.moveTo(compensations[0], 'compensation', { undo: 0 });
  }

  private continueCompensation(draft: TransitionDraft, done: StepDefinition, cursor: StepCursor): void {
    const compensations = this.compensationsFor(draft.definition, draft.instance.completedSteps);
    // Instances stored before loops have no `undo`; their compensations are distinct, so the name finds the place.
    const index = (cursor.undo ?? compensations.indexOf(done)) + 1;
    const next = compensations[index];
    if (next) draft.moveTo(next, 'compensation', { undo: index });
    else this.afterCompensation(draft, true);
  }

  private afterCompensation(draft: TransitionDraft, compensated: boolean): void {
    const { definition, instance } = draft;
    if (compensated) {
      draft.emit('Compensated', { steps: this.compensationsFor(definition, instance.completedSteps).map((s) => s.name) });
      instance.phase = Phase.Compensated;
    }
    const failureEntry = definition.graph.failureEntry !== null ? definition.graph.nodes.get(definition.graph.failureEntry) : undefined;
    if (instance.cancelReason !== null) {
      draft.finish('cancelled', Phase.Cancelled);
      draft.emit('Cancelled', { reason: instance.cancelReason });
    } else if (failureEntry?.kind === 'step') {
      draft.moveTo(failureEntry.step, 'onFailure', { node: failureEntry.id });
    } else {
      this.finishFailure(draft);
    }
  }

  private finishFailure(draft: TransitionDraft): void {
    const compensated = this.compensationsFor(draft.definition, draft.instance.completedSteps).length > 0;
    const status = compensated ? 'compensated' : 'failed';
    draft.finish(status, compensated ? Phase.Compensated : Phase.Failed);
    draft.emit('Failed', { status, error: recordedErrorJson(draft.instance.error) });
  }

  private fail(draft: TransitionDraft, error: RecordedError): void {
    draft.instance.error = error;
    draft.finish('failed', Phase.Failed);
    draft.emit('Failed', { status: 'failed', error: recordedErrorJson(error) });
  }

  /** The compensation steps of the completed forward steps (once per pass), in reverse order of completion. */
  private compensationsFor(definition: WorkflowDefinition, completedSteps: readonly string[]): StepDefinition[] {
    return [...completedSteps]
      .reverse()
      .map((name) => definition.stepsByName.get(name)?.compensation)
      .filter((step): step is StepDefinition => step !== undefined);
  }

  /** The step's retry policy, completed by the module default. */
  retryPolicy(step: StepDefinition): RetryPolicy {
    return { ...this.defaultRetry, ...step.retry };
  }
}

/**
 * A patch that cannot be applied (one that changes `workflowId`) fails the step without retry: the engine
 * must answer with a transition, since a throw would have the runner redeliver the command forever.
 */
function rejectInvalidPatch(state: JsonObject, outcome: StepOutcome, step: string): StepOutcome {
  if (outcome.kind !== 'succeeded') return outcome;
  try {
    applyPatch(state, outcome.patch, step);
    return outcome;
  } catch (error) {
    if (!(error instanceof StateUpdateError)) throw error;
    return { kind: 'failed', error: { code: error.code, message: error.message } };
  }
}

function toRecordedError(
  step: string,
  outcome: Extract<StepOutcome, { kind: 'failed' | 'errored' }>,
  iterations: readonly LoopIteration[] | undefined,
): RecordedError {
  const where = iterations && iterations.length > 0 ? { iterations } : {};
  if (outcome.kind === 'failed') {
    return {
      code: outcome.error.code,
      message: outcome.error.message,
      step,
      ...(outcome.error.details ? { details: outcome.error.details } : {}),
      ...where,
    };
  }
  return { code: STEP_EXHAUSTED, message: outcome.message, step, ...where };
}

/**
 * The step definition a cursor runs, or undefined when the deployed definition no longer has it in that role
 * (or at that node). A cursor stored before graphs has no node: its node is the step's name.
 */
export function stepAt(definition: WorkflowDefinition, cursor: StepCursor): StepDefinition | undefined {
  const step = definition.stepsByName.get(cursor.step);
  if (!step || step.role !== cursor.role) return undefined;
  if (cursor.role === 'compensation') return step;
  const node = definition.graph.nodes.get(cursor.node ?? cursor.step);
  return node?.kind === 'step' && node.step === step ? step : undefined;
}

/** The graph part of a cursor, kept across a retry of the same step. */
function positionOf(cursor: StepCursor): GraphPosition {
  return {
    node: cursor.node ?? cursor.step,
    iterations: cursor.iterations ?? [],
    ...(cursor.undo !== undefined ? { undo: cursor.undo } : {}),
    ...(cursor.since !== undefined ? { since: cursor.since } : {}),
  };
}

function recordedErrorJson(error: RecordedError | null): JsonObject | null {
  return error ? ({ ...error } as unknown as JsonObject) : null;
}
