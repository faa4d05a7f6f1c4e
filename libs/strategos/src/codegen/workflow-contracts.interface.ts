import type { StepRole } from '../definition/workflow-definition';
import type { StepCommand } from '../engine/step-command';
import type { WorkflowEventKind } from '../engine/workflow-event';
import type { ContractTransition } from './contract-transition';

/** A generated `Execute<Step>Command` class: constructible (for class-transformer), with its literals and queue as statics. */
export interface StepCommandClass<C extends StepCommand = StepCommand> {
  new (): C;
  /** `Execute<Step>Command`. */
  readonly type: string;
  readonly workflowName: string;
  readonly step: string;
  readonly role: StepRole;
  /** The step's queue in a namespace: `<namespace>.<workflow>.<Step>`. */
  queue(namespace?: string): string;
}

/** A generated event class (`<Workflow><Kind>`): constructible, with its literals and routing key as statics. */
export interface WorkflowEventClass<E extends object = object> {
  new (): E;
  /** `<Workflow><Kind>`. */
  readonly type: string;
  readonly kind: WorkflowEventKind;
  readonly workflowName: string;
  /** The routing key on the events exchange, `<workflow>.<Kind>`: the pattern of `@EventPattern`. */
  readonly pattern: string;
}

/**
 * The object every generated `<workflow>.contracts.ts` exports as `<workflow>Contracts`: the command class of
 * each step by step name, the event class of each kind, the phases and the transitions table. A runtime that
 * is given it can validate what it receives with these classes (`plainToInstance` + `validate`).
 *
 * @example
 * const type = processOrderContracts.commands[command.step]; // ExecuteProcessPaymentCommand, ...
 * const errors = await validate(plainToInstance(type, body), { forbidUnknownValues: true });
 */
export interface WorkflowContracts {
  /** The workflow name, e.g. `process-order`. */
  readonly workflow: string;
  /** Its PascalCase, the prefix of event types, e.g. `ProcessOrder`. */
  readonly typeName: string;
  /** Every phase, by name. */
  readonly phases: Readonly<Record<string, string>>;
  /** The command class of each step (forward, compensation, onFailure), by step name. */
  readonly commands: Readonly<Record<string, StepCommandClass>>;
  /** The event class of each kind. */
  readonly events: Readonly<Record<WorkflowEventKind, WorkflowEventClass>>;
  readonly transitions: readonly ContractTransition[];
}
