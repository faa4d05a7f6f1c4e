import type { StepRole } from '../definition/workflow-definition';
import type { JsonObject } from '../state/workflow-state.interface';
import type { ForkPosition } from './fork-position';

/** Where a workflow instance stands overall. */
export type WorkflowStatus = 'running' | 'completed' | 'failed' | 'compensated' | 'cancelled';

/** The statuses an instance never leaves by itself. */
export const TERMINAL_STATUSES: ReadonlySet<WorkflowStatus> = new Set(['completed', 'failed', 'compensated', 'cancelled']);

/** The pass of one enclosing `repeatUntil` loop, by the loop's name. */
export interface LoopIteration {
  readonly loop: string;
  /** 1 for the first pass. */
  readonly iteration: number;
}

/**
 * Where a run stands: the step command it waits for (only a command with this id, step and role may move it
 * on) and its place in the definition graph. Stored in the instance's `cursor` column (JSON). Instances
 * stored before the graph have only `step`, `role`, `attempt` and `commandId`; their node is the step's name.
 */
export interface StepCursor {
  readonly step: string;
  readonly role: StepRole;
  readonly attempt: number;
  readonly commandId: string;
  /**
   * When a worker started running this command's step (recorded by the worker before it runs the step);
   * absent while the step has not started, so that a cancel can take effect at once.
   */
  readonly startedAt?: string;
  /** The graph node (for a forward or onFailure step, the step's name). Absent in instances stored before graphs. */
  readonly node?: string;
  /** The path of the position: `main` (parallel paths will name theirs). */
  readonly path?: string;
  /** The enclosing loops' passes, outermost first (an array: JSON objects in PostgreSQL do not keep key order). */
  readonly iterations?: readonly LoopIteration[];
  /** For a compensation: its index in the run's compensation list (the completed steps' compensations, latest first). */
  readonly undo?: number;
  /** When the run entered this position (ISO-8601); the first attempt's command was issued then. */
  readonly since?: string;
  /** Set when the run is parked at a wait (`awaitSignal`, `awaitApproval`, `sleep`): no command is in flight. */
  readonly wait?: WaitPosition;
  /**
   * The id of the message whose transition issued this position's command, when that command was published at once
   * (not a delayed retry). Such a command has no outbox row: if the message is delivered again, the runner derives
   * the command from this position and publishes it again (see `reissuedCommands`).
   */
  readonly issuedBy?: string;
  /** When the command was issued (ISO-8601), when that was not `since` (an immediate retry); the command's `createdAt`. */
  readonly issuedAt?: string;
}

/** What a parked run waits for. */
export interface WaitPosition {
  readonly kind: 'signal' | 'approval' | 'sleep';
  /** The signal's name (signal and approval waits). */
  readonly signal?: string;
  /** The id of the timer message that ends the wait (a sleep's end or a signal's timeout), when there is one. */
  readonly timerId?: string;
  /** When that timer is due (ISO-8601). */
  readonly wakesAt?: string;
}

/** A signal received and validated, kept until a wait of its name consumes it. */
export interface ReceivedSignal {
  readonly signalId: string;
  readonly name: string;
  readonly payload: JsonObject;
  /** ISO-8601. */
  readonly receivedAt: string;
}

/**
 * A run's signals and deadline, stored with the instance (column `control`): signals received before their wait
 * (consumed in arrival order, one per wait), the ids of signals already received (a repeated id is applied
 * once; the latest {@link MAX_REMEMBERED_SIGNAL_IDS}), and the workflow deadline's timer.
 */
export interface RunControl {
  readonly pendingSignals?: readonly ReceivedSignal[];
  readonly signalIds?: readonly string[];
  readonly deadline?: { readonly at: string; readonly timerId: string };
}

/** How many received signal ids a run remembers for deduplication. */
export const MAX_REMEMBERED_SIGNAL_IDS = 1_000;

/** One active position of a run: the main cursor, or one per running path inside a fork. */
export type ActivePosition = StepCursor;

/** The active positions of an instance: the main cursor, or every running path's cursor inside a fork. */
export function activePositions(instance: Pick<WorkflowInstance, 'cursor' | 'fork'>): readonly ActivePosition[] {
  if (instance.fork) return instance.fork.paths.flatMap((path) => (path.cursor ? [path.cursor] : []));
  return instance.cursor ? [instance.cursor] : [];
}

/** The active position waiting for the command `commandId`, if any. */
export function positionFor(instance: Pick<WorkflowInstance, 'cursor' | 'fork'>, commandId: string): ActivePosition | undefined {
  return activePositions(instance).find((position) => position.commandId === commandId);
}

/** A failure recorded on an instance. */
export interface RecordedError {
  readonly code: string;
  readonly message: string;
  /** The step (or graph node: `guard#1`, `branch#1`, `repeat:<loop>`, `fail#1`) where the run failed. */
  readonly step: string;
  readonly details?: JsonObject;
  /** The loops' passes where the step failed (absent outside loops): a retry resumes there. */
  readonly iterations?: readonly LoopIteration[];
  /** The fork path where the step failed (absent on the main path). */
  readonly path?: string;
}

/** The stored record of one workflow run: what the engine reads and writes. Timestamps are ISO-8601. */
export interface WorkflowInstance {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly state: JsonObject;
  readonly phase: string;
  readonly status: WorkflowStatus;
  /** Incremented by every transition; stores guard writes with it (optimistic concurrency). */
  readonly version: number;
  /** Sequence number of the last event recorded. */
  readonly sequence: number;
  /** The main position; null when the run ended or is inside a fork (see `fork`). */
  readonly cursor: StepCursor | null;
  /** Inside a fork: its paths' positions (stored in the `cursor` column as `{ fork }`); absent otherwise. */
  readonly fork?: ForkPosition;
  /** Forward steps that completed, in order, a step once per loop pass (what compensation undoes). */
  readonly completedSteps: readonly string[];
  readonly error: RecordedError | null;
  readonly compensationError: RecordedError | null;
  readonly cancelReason: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
  /** Signals kept for later waits, received signal ids, the deadline; absent when the run has none. */
  readonly control?: RunControl | null;
}
