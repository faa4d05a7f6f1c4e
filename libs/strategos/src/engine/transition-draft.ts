import type { StepDefinition, StepRole, WorkflowDefinition } from '../definition/workflow-definition';
import type { JsonObject } from '../state/workflow-state.interface';
import { stepCommandFor, type ScheduledCommand } from './step-command';
import type { Transition, TransitionContext } from './transition';
import type { WorkflowEventKind, WorkflowEvent } from './workflow-event';
import type { ScheduledTimer } from './scheduled-timer';
import type { LoopIteration, StepCursor, WaitPosition, WorkflowInstance } from './workflow-instance';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The path of a run without parallel paths. */
export const MAIN_PATH = 'main';

/** The graph part of a cursor: node, loop passes, compensation index, entry time. */
export type GraphPosition = Partial<Pick<StepCursor, 'node' | 'iterations' | 'undo' | 'since'>>;

/** `{ loop, iteration }` of the innermost loop, for event data; nothing outside loops. */
export function iterationData(iterations: readonly LoopIteration[] | undefined): JsonObject {
  const data: JsonObject = {};
  addIteration(data, iterations);
  return data;
}

/** Adds `loop` and `iteration` of the innermost loop to event data (nothing outside loops; no spread on the hot path). */
export function addIteration(data: JsonObject, iterations: readonly LoopIteration[] | undefined): JsonObject {
  const innermost = iterations !== undefined && iterations.length > 0 ? iterations[iterations.length - 1] : undefined;
  if (innermost) {
    data.loop = innermost.loop;
    data.iteration = innermost.iteration;
  }
  return data;
}

/** Accumulates one transition: a working copy of the instance, the events recorded and the commands issued. */
export class TransitionDraft {
  readonly instance: Mutable<WorkflowInstance>;
  private readonly events: WorkflowEvent[] = [];
  private readonly commands: ScheduledCommand[] = [];
  private readonly timers: ScheduledTimer[] = [];
  /** `context.now` as ISO-8601, formatted once per transition (every event, command and cursor uses it). */
  private readonly now: string;

  constructor(
    readonly definition: WorkflowDefinition,
    base: WorkflowInstance,
    readonly context: TransitionContext,
  ) {
    this.now = context.now.toISOString();
    this.instance = { ...base, version: base.version + 1, updatedAt: this.now };
  }

  /** Records an event with the next sequence number. */
  emit(kind: WorkflowEventKind, data: JsonObject): void {
    const sequence = this.instance.sequence + 1;
    this.instance.sequence = sequence;
    this.events.push({
      eventId: this.context.newId(),
      type: `${this.definition.typeName}${kind}`,
      kind,
      workflowId: this.instance.workflowId,
      workflowName: this.instance.workflowName,
      sequence,
      timestamp: this.now,
      data,
    });
  }

  /** Moves to `step` at `position`: records the phase change (with the loop pass, inside a loop) and issues its command. */
  moveTo(step: StepDefinition, role: StepRole, position: GraphPosition = {}): void {
    const data: JsonObject = { from: this.instance.phase, to: step.name };
    addIteration(data, position.iterations);
    this.emit('PhaseChanged', data);
    this.instance.phase = step.name;
    this.issue(step, role, 1, 0, position, this.now);
  }

  /** Issues a command for `attempt` of `step`, deliverable after `delayMs`; the cursor keeps `position`. */
  issue(
    step: StepDefinition,
    role: StepRole,
    attempt: number,
    delayMs: number,
    position: GraphPosition = {},
    since = position.since,
  ): void {
    const { context, instance } = this;
    const cursor: Mutable<StepCursor> = {
      step: step.name,
      role,
      attempt,
      commandId: context.newId(),
      node: position.node ?? step.name,
      path: MAIN_PATH,
      iterations: position.iterations ?? [],
    };
    if (position.undo !== undefined) cursor.undo = position.undo;
    if (since !== undefined) cursor.since = since;
    // A command sent at once gets no outbox row when its message can be redelivered: the position keeps what
    // it takes to derive it again (`reissuedCommands`). A delayed retry keeps its outbox row (due later).
    if (delayMs === 0) {
      cursor.issuedBy = context.causationId;
      if (since !== this.now) cursor.issuedAt = this.now;
    }
    const command = stepCommandFor(cursor, {
      workflowId: instance.workflowId,
      workflowName: instance.workflowName,
      causationId: context.causationId,
      createdAt: this.now,
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    });
    instance.cursor = cursor;
    this.commands.push({ command, availableAt: delayMs === 0 ? this.now : new Date(context.now.getTime() + delayMs).toISOString() });
  }

  /** Parks the run at the wait node `node` (no command in flight): the cursor records what it waits for. */
  park(node: string, label: string, wait: WaitPosition, iterations: readonly LoopIteration[]): void {
    const now = this.context.now.toISOString();
    this.instance.cursor = {
      step: label,
      role: 'forward',
      attempt: 0,
      commandId: wait.timerId ?? this.context.newId(),
      node,
      path: MAIN_PATH,
      iterations,
      since: now,
      wait,
    };
  }

  /** Sets a durable timer, committed with the transition. */
  schedule(timerId: string, purpose: ScheduledTimer['purpose'], dueAt: Date): void {
    this.timers.push({
      timerId,
      workflowId: this.instance.workflowId,
      workflowName: this.instance.workflowName,
      purpose,
      dueAt: dueAt.toISOString(),
    });
  }

  /** Ends the run with a terminal status and phase. */
  finish(status: WorkflowInstance['status'], phase: string): void {
    this.instance.status = status;
    this.instance.phase = phase;
    this.instance.cursor = null;
    this.instance.completedAt = this.now;
  }

  toTransition(): Transition {
    return {
      instance: Object.freeze({ ...this.instance }),
      events: this.events,
      commands: this.commands,
      ...(this.timers.length > 0 ? { timers: this.timers } : {}),
      ...(this.context.traceparent ? { traceparent: this.context.traceparent } : {}),
    };
  }
}
