import type { StepDefinition, StepRole, WorkflowDefinition } from '../definition/workflow-definition';
import type { JsonObject } from '../state/workflow-state.interface';
import type { ScheduledCommand, StepCommand } from './step-command';
import type { Transition, TransitionContext } from './transition';
import type { WorkflowEventKind, WorkflowEvent } from './workflow-event';
import type { WorkflowInstance } from './workflow-instance';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Accumulates one transition: a working copy of the instance, the events recorded and the commands issued. */
export class TransitionDraft {
  readonly instance: Mutable<WorkflowInstance>;
  private readonly events: WorkflowEvent[] = [];
  private readonly commands: ScheduledCommand[] = [];

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

  /** Moves to `step`: records the phase change and issues its command. */
  moveTo(step: StepDefinition, role: StepRole): void {
    this.emit('PhaseChanged', { from: this.instance.phase, to: step.name });
    this.instance.phase = step.name;
    this.issue(step, role, 1, 0);
  }

  /** Issues a command for `attempt` of `step`, deliverable after `delayMs`. */
  issue(step: StepDefinition, role: StepRole, attempt: number, delayMs: number): void {
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
    instance.cursor = { step: step.name, role, attempt, commandId: command.messageId };
    this.commands.push({ command, availableAt: new Date(context.now.getTime() + delayMs).toISOString() });
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
      ...(this.context.traceparent ? { traceparent: this.context.traceparent } : {}),
    };
  }
}
