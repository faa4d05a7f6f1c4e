import type { NodeId, WaitNode } from '../definition/workflow-graph';
import { StateUpdateError } from '../state/state-update.error';
import type { JsonObject } from '../state/workflow-state.interface';
import { CONDITION_ERROR } from './graph-walk';
import { iterationData, type TransitionDraft } from './transition-draft';
import { APPROVAL_REJECTED, SIGNAL_TIMEOUT } from './wait-codes';
import type { LoopIteration, ReceivedSignal, RecordedError, RunControl, StepCursor, WaitPosition } from './workflow-instance';

/**
 * Where a wait takes place: the main flow, or one path of a fork. The wait rules read the lane's state and move
 * the run on through it, so that a wait inside a fork path parks, consumes its signal and times out for that path
 * only, as a wait of the main flow does for the run.
 */
export interface WaitLane {
  /** The fork path (`fork#1.2`) for event data; absent on the main flow. */
  readonly path?: string;
  /** The state the lane's conditions and `apply` see (inside a path: the state at the fork plus the path's patch). */
  state(): JsonObject;
  /** Applies a signal's patch to the lane's state. @throws StateUpdateError when the patch cannot be applied. */
  applyPatch(patch: JsonObject, source: string): void;
  /** Records the move to the wait's phase (`PhaseChanged`, with `extra` in its data). */
  enterPhase(label: string, extra: JsonObject): void;
  /** Parks the lane at the wait: no command in flight. */
  park(node: WaitNode, wait: WaitPosition, iterations: readonly LoopIteration[]): void;
  /** Goes on at `from` (the wait's next node, `onTimeout` or `onRejection`). */
  continueAt(from: NodeId | null, iterations: readonly LoopIteration[]): void;
  /** Fails the run (main flow) or the path (a fork path: the others stop, then compensation). */
  fail(error: RecordedError): void;
}

/**
 * Arrives at a wait: a kept signal of its name is consumed at once (the oldest); otherwise the lane parks, with a
 * timer for a sleep's end or a signal's timeout (a timer message in the outbox, due at its time).
 */
export function enterWait(draft: TransitionDraft, lane: WaitLane, node: WaitNode, iterations: readonly LoopIteration[]): void {
  const { instance, context } = draft;
  if (node.when) {
    let holds: boolean;
    try {
      holds = Boolean(node.when(lane.state()));
    } catch (error) {
      return failAt(lane, node, CONDITION_ERROR, `the when of ${node.id} threw: ${(error as Error).message}`, iterations);
    }
    if (!holds) return lane.continueAt(node.next, iterations);
  }
  const control: RunControl = instance.control ?? {};
  const pending = control.pendingSignals ?? [];
  const kept = node.wait === 'sleep' ? -1 : pending.findIndex((signal) => signal.name === node.signal);
  if (kept >= 0) {
    const signal = pending[kept];
    instance.control = { ...control, pendingSignals: pending.filter((_, index) => index !== kept) };
    lane.enterPhase(node.label, { signalId: signal.signalId, ...iterationData(iterations) });
    return consumeSignal(lane, node, signal, iterations);
  }
  let wakesAt: Date | undefined;
  if (node.wait === 'sleep') {
    const due = node.sleepUntil ? evaluateDate(() => node.sleepUntil!(lane.state())) : new Date(context.now.getTime() + node.sleepMs!);
    if (typeof due === 'string') return failAt(lane, node, CONDITION_ERROR, due, iterations);
    // A date already past: the run goes straight on.
    if (due.getTime() <= context.now.getTime()) return lane.continueAt(node.next, iterations);
    wakesAt = due;
  } else if (node.timeoutMs !== undefined) {
    wakesAt = new Date(context.now.getTime() + node.timeoutMs);
  }
  const timerId = wakesAt ? context.newId() : undefined;
  lane.enterPhase(node.label, iterationData(iterations));
  lane.park(
    node,
    {
      kind: node.wait,
      ...(node.signal !== undefined ? { signal: node.signal } : {}),
      ...(timerId ? { timerId } : {}),
      ...(wakesAt ? { wakesAt: wakesAt.toISOString() } : {}),
    },
    iterations,
  );
  draft.emit('Waiting', {
    node: node.id,
    waitingFor: node.wait === 'sleep' ? 'timer' : node.signal!,
    ...(wakesAt ? { wakesAt: wakesAt.toISOString() } : {}),
    ...iterationData(iterations),
    ...pathData(lane),
  });
  if (timerId && wakesAt) draft.schedule(timerId, 'wait', wakesAt);
}

/** Applies a signal at its wait: the patch, then the next node (or, for a rejected approval, `onRejection`). */
export function consumeSignal(lane: WaitLane, node: WaitNode, signal: ReceivedSignal, iterations: readonly LoopIteration[]): void {
  if (node.apply) {
    try {
      const patch = node.apply(lane.state(), signal.payload) as JsonObject;
      lane.applyPatch(patch ?? {}, node.id);
    } catch (error) {
      const code = error instanceof StateUpdateError ? error.code : CONDITION_ERROR;
      return failAt(lane, node, code, `the apply of signal ${signal.name} failed: ${(error as Error).message}`, iterations);
    }
  }
  if (node.wait === 'approval' && signal.payload.approved === false) {
    if (node.onRejection !== undefined && node.onRejection !== null) return lane.continueAt(node.onRejection, iterations);
    const by = typeof signal.payload.by === 'string' ? ` by ${signal.payload.by}` : '';
    return failAt(lane, node, APPROVAL_REJECTED, `Approval ${signal.name} was rejected${by}`, iterations);
  }
  lane.continueAt(node.next, iterations);
}

/**
 * The timer of the lane's wait fell due: a sleep goes on at its next node; a signal wait times out to `onTimeout`,
 * or fails with `SIGNAL_TIMEOUT`.
 */
export function waitTimerFired(draft: TransitionDraft, lane: WaitLane, node: WaitNode, cursor: StepCursor, timerId: string): void {
  const timeout = node.wait !== 'sleep';
  const iterations = cursor.iterations ?? [];
  draft.emit('TimerFired', {
    timerId,
    purpose: timeout ? 'timeout' : 'sleep',
    node: node.id,
    dueAt: cursor.wait?.wakesAt ?? null,
    ...iterationData(iterations),
    ...pathData(lane),
  });
  if (!timeout) lane.continueAt(node.next, iterations);
  else if (node.onTimeout !== undefined && node.onTimeout !== null) lane.continueAt(node.onTimeout, iterations);
  else failAt(lane, node, SIGNAL_TIMEOUT, `No signal ${node.signal} within ${node.timeoutMs} ms`, iterations);
}

function failAt(lane: WaitLane, node: WaitNode, code: string, message: string, iterations: readonly LoopIteration[]): void {
  lane.fail({ code, message, step: node.id, ...(iterations.length > 0 ? { iterations } : {}) });
}

function pathData(lane: WaitLane): JsonObject {
  return lane.path !== undefined ? { path: lane.path } : {};
}

/** Runs a `sleepUntil` date function: the date, or why it is not one. */
function evaluateDate(until: () => Date): Date | string {
  try {
    const value = until();
    const date = value instanceof Date ? value : new Date(value as unknown as string);
    return Number.isNaN(date.getTime()) ? `the sleepUntil date is not a valid date: ${String(value)}` : date;
  } catch (error) {
    return `the sleepUntil date threw: ${(error as Error).message}`;
  }
}
