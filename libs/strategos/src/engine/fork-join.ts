import type { StepDefinition, StepRole } from '../definition/workflow-definition';
import type { ForkNode, NodeId, WaitNode } from '../definition/workflow-graph';
import { applyPatch } from '../state/apply-patch';
import { StateUpdateError } from '../state/state-update.error';
import type { JsonObject } from '../state/workflow-state.interface';
import { type RetryPolicy, retryDelayMs } from '../step/retry-policy';
import type { ForkPosition, PathPosition } from './fork-position';
import { walkGraph } from './graph-walk';
import { mergePaths } from './merge-paths';
import { forkPhase, joinablePath, joinNested, pathState, withoutNested } from './path-positions';
import type { StepOutcome } from './step-outcome';
import { addIteration, type GraphPosition, iterationData, type TransitionDraft } from './transition-draft';
import { consumeSignal, enterWait, type WaitLane, waitTimerFired } from './wait-rules';
import type { LoopIteration, ReceivedSignal, RecordedError, StepCursor, WorkflowInstance } from './workflow-instance';

export { REDUCER_FAILED } from './merge-paths';
export { forkPhase, markedStarted, pathIndexOf, stateFor } from './path-positions';
/** Error code of a fork path whose walk ended somewhere other than its join (a definition the engine cannot run). */
export const FORK_PATH_INVALID = 'FORK_PATH_INVALID';

/** What the fork rules need from the engine. */
export interface ForkHost {
  /** Walks the main flow from `from` on the draft's state. */
  continueAt(draft: TransitionDraft, from: NodeId | null, iterations: readonly LoopIteration[]): void;
  /** Compensation in reverse order of completion, then onFailure (or `cancelled` after a cancel). */
  beginFailurePath(draft: TransitionDraft): void;
  retryPolicy(step: StepDefinition): RetryPolicy;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The rules of parallel paths: entering a fork issues the first command of every path in one transition; each
 * path's outcome moves that path only (its patch kept apart from the state at the fork); the transition where the
 * last path reaches the join merges the patches key by key with the definition's reducers and goes on at the join
 * step. A failing path (or a cancel) stops the others at their next step boundary, then the failure path runs.
 */
export class ForkJoinRules {
  constructor(private readonly host: ForkHost) {}

  /** Starts every path of `node` from the state at the fork. */
  enter(draft: TransitionDraft, node: ForkNode, iterations: readonly LoopIteration[]): void {
    const instance = draft.instance;
    const from = instance.phase;
    instance.cursor = null;
    instance.fork = {
      node: node.id,
      iterations,
      since: draft.context.now.toISOString(),
      paths: node.paths.map((_, index) => ({ path: `${node.id}.${index + 1}`, cursor: null, patch: {}, done: false })),
      stopping: false,
    };
    node.paths.forEach((entry, index) => this.walkPath(draft, index, entry, iterations, from));
    this.settle(draft);
  }

  /** Applies the outcome of the step that path `index` waits for. */
  applyOutcome(draft: TransitionDraft, index: number, step: StepDefinition, outcome: StepOutcome): void {
    const fork = draft.instance.fork!;
    const path = fork.paths[index];
    const cursor = path.cursor!;
    const where = { path: path.path };
    if (outcome.kind === 'errored' && cursor.attempt < this.host.retryPolicy(step).maxAttempts && !fork.stopping) {
      const delayMs = retryDelayMs(this.host.retryPolicy(step), cursor.attempt + 1, draft.context.random());
      draft.emit('StepFailed', {
        step: step.name,
        attempt: cursor.attempt,
        code: outcome.timedOut ? 'STEP_TIMEOUT' : 'STEP_ERROR',
        message: outcome.message,
        willRetry: true,
        retryInMs: delayMs,
        ...where,
        ...iterationData(cursor.iterations),
      });
      this.issueOnPath(draft, index, step, cursor.role, cursor.attempt + 1, delayMs, graphPosition(cursor), cursor.since);
      return this.settle(draft);
    }
    const checked = checkPatch(pathState(draft.instance.state, fork.paths, index), outcome, step.name);
    if (checked.kind === 'succeeded') {
      const patch = definedFields(checked.patch);
      this.setPath(draft, index, { patch: { ...path.patch, ...patch } });
      draft.instance.completedSteps = [...draft.instance.completedSteps, step.name];
      draft.emit(
        'StepCompleted',
        addIteration({ step: step.name, attempt: cursor.attempt, patch: checked.patch, ...where }, cursor.iterations),
      );
      if (fork.stopping || draft.instance.cancelReason !== null) {
        this.setPath(draft, index, { cursor: null });
      } else {
        const node = draft.definition.graph.nodes.get(cursor.node ?? step.name);
        this.walkPath(draft, index, node?.kind === 'step' ? node.next : null, cursor.iterations ?? [], step.name);
      }
    } else if (checked.kind === 'skipped') {
      this.setPath(draft, index, { cursor: null });
    } else {
      const error: RecordedError =
        checked.kind === 'failed'
          ? {
              code: checked.error.code,
              message: checked.error.message,
              step: step.name,
              ...(checked.error.details ? { details: checked.error.details } : {}),
              ...where,
            }
          : { code: 'STEP_EXHAUSTED', message: checked.message, step: step.name, ...where };
      const withLoops = cursor.iterations && cursor.iterations.length > 0 ? { ...error, iterations: cursor.iterations } : error;
      draft.emit('StepFailed', {
        step: step.name,
        attempt: cursor.attempt,
        code: withLoops.code,
        message: withLoops.message,
        willRetry: false,
        ...where,
        ...iterationData(cursor.iterations),
      });
      this.pathFailed(draft, index, withLoops);
    }
    this.settle(draft);
  }

  /**
   * Cancels a run inside a fork: paths whose step has not started stop at once (their command is then stale);
   * the others finish their in-flight step first. The failure path starts once no path runs.
   */
  cancel(draft: TransitionDraft): void {
    this.stop(draft);
    this.settle(draft);
  }

  /** Path `index` is parked at the wait `node` of this signal: the signal's patch goes to the path, which goes on. */
  receiveSignal(draft: TransitionDraft, index: number, node: WaitNode, signal: ReceivedSignal): void {
    const cursor = draft.instance.fork!.paths[index].cursor!;
    consumeSignal(this.lane(draft, index, cursor.step), node, signal, cursor.iterations ?? []);
    this.settle(draft);
  }

  /** The timer of path `index`'s wait fell due: its sleep ends, or its signal wait times out (`onTimeout` or `SIGNAL_TIMEOUT`). */
  fireTimer(draft: TransitionDraft, index: number, node: WaitNode, timerId: string): void {
    const cursor = draft.instance.fork!.paths[index].cursor!;
    waitTimerFired(draft, this.lane(draft, index, cursor.step), node, cursor, timerId);
    this.settle(draft);
  }

  /**
   * Path `index` as the lane of a wait: its state is the state at the fork plus its patch (a signal's patch joins
   * it), its parked cursor stays on the path, a failure fails the path; `previous` is the phase it leaves.
   */
  private lane(draft: TransitionDraft, index: number, previous: string): WaitLane {
    const path = () => draft.instance.fork!.paths[index];
    let from = previous;
    return {
      path: path().path,
      state: () => pathState(draft.instance.state, draft.instance.fork!.paths, index),
      applyPatch: (patch, source) => {
        applyPatch(pathState(draft.instance.state, draft.instance.fork!.paths, index), patch, source);
        this.setPath(draft, index, { patch: { ...path().patch, ...definedFields(patch) } });
      },
      enterPhase: (label, extra) => {
        draft.emit('PhaseChanged', { from, to: label, ...extra, path: path().path });
        from = label;
      },
      park: (node, wait, iterations) => {
        draft.park(node.id, node.label, wait, iterations);
        const cursor: StepCursor = { ...draft.instance.cursor!, path: path().path };
        draft.instance.cursor = null;
        this.setPath(draft, index, { cursor });
      },
      continueAt: (to, iterations) => this.walkPath(draft, index, to, iterations, from),
      fail: (error) => this.pathFailed(draft, index, { ...error, path: path().path }),
    };
  }

  /** Walks path `index` from `from` on its own state to its next step, its join, or a failure. */
  private walkPath(
    draft: TransitionDraft,
    index: number,
    from: NodeId | null,
    iterations: readonly LoopIteration[],
    previous: string,
  ): void {
    // A path that starts or goes on while the fork is stopping (another path failed in this transition) stops here.
    if (draft.instance.fork!.stopping) return this.setPath(draft, index, { cursor: null });
    const path = draft.instance.fork!.paths[index];
    const stop = walkGraph(draft.definition.graph, pathState(draft.instance.state, draft.instance.fork!.paths, index), from, iterations);
    switch (stop.kind) {
      case 'step': {
        const data: JsonObject = { from: previous, to: stop.node.step.name, path: path.path };
        addIteration(data, stop.iterations);
        draft.emit('PhaseChanged', data);
        const position = { node: stop.node.id, iterations: stop.iterations };
        return this.issueOnPath(draft, index, stop.node.step, 'forward', 1, 0, position, draft.context.now.toISOString());
      }
      case 'joined':
        return this.setPath(draft, index, { cursor: null, done: true });
      case 'failed':
        return this.pathFailed(draft, index, { ...stop.error, path: path.path });
      case 'wait':
        return enterWait(draft, this.lane(draft, index, previous), stop.node, stop.iterations);
      case 'fork':
        return this.enterNested(draft, index, stop.node, stop.iterations, previous);
      default:
        return this.pathFailed(draft, index, {
          code: FORK_PATH_INVALID,
          message: `fork path ${path.path} reached the end of the run instead of its join`,
          step: from ?? draft.instance.fork!.node,
          path: path.path,
        });
    }
  }

  /** Path `index` reached a nested fork: it waits there while the nested paths (appended to the list) run. */
  private enterNested(draft: TransitionDraft, index: number, node: ForkNode, iterations: readonly LoopIteration[], previous: string): void {
    const fork = draft.instance.fork!;
    const parent = fork.paths[index].path;
    const first = fork.paths.length;
    this.setPath(draft, index, { cursor: null, fork: { node: node.id, iterations, since: draft.context.now.toISOString() } });
    const nested = node.paths.map((_, n) => ({ path: `${node.id}.${n + 1}`, cursor: null, patch: {}, done: false, parent }));
    draft.instance.fork = { ...draft.instance.fork!, paths: [...draft.instance.fork!.paths, ...nested] };
    node.paths.forEach((entry, n) => this.walkPath(draft, first + n, entry, iterations, previous));
  }

  /** Joins every nested fork whose paths all arrived: the parent path goes on after that join (or fails). */
  private joinNestedForks(draft: TransitionDraft): void {
    for (let index = joinablePath(draft.instance.fork!.paths); index >= 0; index = joinablePath(draft.instance.fork!.paths)) {
      const fork = draft.instance.fork!;
      const nested = fork.paths[index].fork!;
      const joined = joinNested(fork.paths, index, draft.definition.reducers);
      const joinId = nested.node.replace(/^fork#/, 'join#');
      if ('error' in joined) {
        draft.instance.fork = { ...fork, paths: withoutNested(fork.paths, index) };
        return this.pathFailed(draft, index, { ...joined.error, step: joinId, path: fork.paths[index].path });
      }
      draft.instance.fork = { ...fork, paths: joined.paths };
      const join = draft.definition.graph.nodes.get(joinId);
      this.walkPath(draft, index, join?.kind === 'join' ? join.next : null, nested.iterations, joinId);
    }
  }

  /** Issues a command on path `index`: the draft's issue, with the cursor kept on the path. */
  private issueOnPath(
    draft: TransitionDraft,
    index: number,
    step: StepDefinition,
    role: StepRole,
    attempt: number,
    delayMs: number,
    position: GraphPosition,
    since: string | undefined,
  ): void {
    draft.issue(step, role, attempt, delayMs, position, since);
    const cursor: StepCursor = { ...draft.instance.cursor!, path: draft.instance.fork!.paths[index].path };
    draft.instance.cursor = null;
    this.setPath(draft, index, { cursor });
  }

  /** Records the run's first error, ends the path and stops the others. */
  private pathFailed(draft: TransitionDraft, index: number, error: RecordedError): void {
    if (draft.instance.error === null) draft.instance.error = error;
    this.setPath(draft, index, { cursor: null });
    this.stop(draft);
  }

  /** No path starts another step; a path whose step has not started yet stops now. */
  private stop(draft: TransitionDraft): void {
    const fork = draft.instance.fork!;
    draft.instance.fork = {
      ...fork,
      stopping: true,
      paths: fork.paths.map((path) => (path.cursor && path.cursor.startedAt === undefined ? { ...path, cursor: null } : path)),
    };
  }

  /** After a path moved: the phase while paths run; the join once all reached it; the failure path once all stopped. */
  private settle(draft: TransitionDraft): void {
    const instance = draft.instance;
    if (!instance.fork) return;
    if (!instance.fork.stopping) this.joinNestedForks(draft);
    const fork = instance.fork;
    if (fork.paths.some((path) => path.cursor !== null)) {
      instance.phase = forkPhase(fork);
      return;
    }
    delete (instance as Mutable<WorkflowInstance> & { fork?: ForkPosition }).fork;
    if (fork.stopping) return this.host.beginFailurePath(draft);
    const merged = mergePaths(
      instance.state,
      fork.paths.filter((path) => path.parent === undefined),
      draft.definition.reducers,
    );
    if ('error' in merged) {
      instance.error = { ...merged.error, step: fork.node.replace(/^fork#/, 'join#') };
      return this.host.beginFailurePath(draft);
    }
    instance.state = merged.state;
    const forkNode = draft.definition.graph.nodes.get(fork.node);
    const join = forkNode?.kind === 'fork' ? draft.definition.graph.nodes.get(forkNode.join) : undefined;
    this.host.continueAt(draft, join?.kind === 'join' ? join.next : null, fork.iterations);
  }

  private setPath(draft: TransitionDraft, index: number, change: Partial<PathPosition>): void {
    const fork = draft.instance.fork!;
    draft.instance.fork = { ...fork, paths: fork.paths.map((path, i) => (i === index ? { ...path, ...change } : path)) };
  }
}

/** A patch that cannot be applied (one that changes `workflowId`) fails the step without retry, as on the main path. */
function checkPatch(state: JsonObject, outcome: StepOutcome, step: string): StepOutcome {
  if (outcome.kind !== 'succeeded') return outcome;
  try {
    applyPatch(state, outcome.patch, step);
    return outcome;
  } catch (error) {
    if (!(error instanceof StateUpdateError)) throw error;
    return { kind: 'failed', error: { code: error.code, message: error.message } };
  }
}

function definedFields(patch: JsonObject): JsonObject {
  const defined: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) defined[key] = value;
  return defined;
}

function graphPosition(cursor: StepCursor): GraphPosition {
  return { node: cursor.node ?? cursor.step, iterations: cursor.iterations ?? [] };
}
