import type { StepDefinition, StepRole, WorkflowDefinition } from '../definition/workflow-definition';
import type { JsonObject } from '../state/workflow-state.interface';
import type { ScheduledCommand, StepCommand } from './step-command';
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
  const innermost = iterations?.[iterations.length - 1];
  return innermost ? { loop: innermost.loop, iteration: innermost.iteration } : {};
}

/** Accumulates one transition: a working copy of the instance, the events recorded and the commands issued. */
export class TransitionDraft {
  readonly instance: Mutable<WorkflowInstance>;
  private readonly events: WorkflowEvent[] = [];
  private readonly commands: ScheduledCommand[] = [];
  private readonly timers: ScheduledTimer[] = [];

  constructor(
    readonly definition: WorkflowDefinition,
    base: WorkflowInstance,
    readonly context: TransitionContext,
  ) {
    this.instance = { ...base, version: base.version + 1, updatedAt: context.now.toISOString() };
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
      timestamp: this.context.now.toISOString(),
      data,
    });
  }

  /** Moves to `step` at `position`: records the phase change (with the loop pass, inside a loop) and issues its command. */
  moveTo(step: StepDefinition, role: StepRole, position: GraphPosition = {}): void {
    this.emit('PhaseChanged', { from: this.instance.phase, to: step.name, ...iterationData(position.iterations) });
    this.instance.phase = step.name;
    this.issue(step, role, 1, 0, { ...position, since: this.context.now.toISOString() });
  }

  /** Issues a command for `attempt` of `step`, deliverable after `delayMs`; the cursor keeps `position`. */
  issue(step: StepDefinition, role: StepRole, attempt: number, delayMs: number, position: GraphPosition = {}): void {
    const { context, instance } = this;
    const command: StepCommand = {
      messageId: context.newId(),
      type: `Execute${step.name}Command`,
      workflowId: instance.workflowId,
      workflowName: instance.workflowName,
      step: step.name,
      role,
      attempt,
      idempotencyKey: `${instance.workflowId}:${step.name}`,
      correlationId: instance.workflowId,
      causationId: context.causationId,
      createdAt: context.now.toISOString(),
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    };
    instance.cursor = {
      step: step.name,
      role,
      attempt,
      commandId: command.messageId,
      node: position.node ?? step.name,
      path: MAIN_PATH,
      iterations: position.iterations ?? [],
      ...(position.undo !== undefined ? { undo: position.undo } : {}),
      ...(position.since !== undefined ? { since: position.since } : {}),
    };
    this.commands.push({ command, availableAt: new Date(context.now.getTime() + delayMs).toISOString() });
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
    this.instance.completedAt = this.context.now.toISOString();
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
