import type { WorkflowEventKind } from '../engine/workflow-event';

/**
 * The identifiers of one workflow's contracts file, derived from the workflow's PascalCase type name
 * (`ProcessOrder`) and its step names. The message names (`Execute<Step>Command`, `<Workflow><Kind>`)
 * are those the runtime puts on the wire.
 */
export class ContractNames {
  /** `processOrder`: the prefix of the file's constants. */
  readonly valuePrefix: string;

  constructor(readonly typeName: string) {
    this.valuePrefix = typeName[0].toLowerCase() + typeName.slice(1);
  }

  get state(): string {
    return `${this.typeName}State`;
  }

  get phase(): string {
    return `${this.typeName}Phase`;
  }

  get step(): string {
    return `${this.typeName}Step`;
  }

  get forwardStep(): string {
    return `${this.typeName}ForwardStep`;
  }

  get compensationStep(): string {
    return `${this.typeName}CompensationStep`;
  }

  get failureStep(): string {
    return `${this.typeName}FailureStep`;
  }

  get commandEnvelope(): string {
    return `${this.typeName}CommandEnvelope`;
  }

  get command(): string {
    return `${this.typeName}Command`;
  }

  /** `StartProcessOrderCommand`: starts the workflow by a message on its start queue. */
  get startCommand(): string {
    return `Start${this.typeName}Command`;
  }

  /** `SignalProcessOrderCommand`: sends a signal by a message on the workflow's control queue. */
  get signalCommand(): string {
    return `Signal${this.typeName}Command`;
  }

  get eventEnvelope(): string {
    return `${this.typeName}EventEnvelope`;
  }

  get event(): string {
    return `${this.typeName}Event`;
  }

  get eventMap(): string {
    return `${this.typeName}EventMap`;
  }

  get transitions(): string {
    return `${this.valuePrefix}Transitions`;
  }

  get transition(): string {
    return `${this.typeName}Transition`;
  }

  get contracts(): string {
    return `${this.valuePrefix}Contracts`;
  }

  /** The class of a step's command, also its message type: `ExecuteProcessPaymentCommand`. */
  commandClass(step: string): string {
    return `Execute${step}Command`;
  }

  /** The class of an event kind, also its message type: `ProcessOrderCompleted`. */
  eventClass(kind: WorkflowEventKind): string {
    return `${this.typeName}${kind}`;
  }

  /** The type of an event kind's `data`: `ProcessOrderCompletedData`. */
  eventData(kind: WorkflowEventKind): string {
    return `${this.eventClass(kind)}Data`;
  }

  /** The per-step alias of `StepCompleted`: `ProcessPaymentCompleted`. */
  stepCompletedClass(step: string): string {
    return `${step}Completed`;
  }

  /** The per-step alias of `StepFailed`: `ProcessPaymentFailed`. */
  stepFailedClass(step: string): string {
    return `${step}Failed`;
  }

  /** Every top-level identifier the file declares for these steps, to detect a collision before emitting. */
  declared(steps: readonly string[], kinds: readonly WorkflowEventKind[]): string[] {
    const fixed = [
      this.state,
      this.phase,
      this.step,
      this.forwardStep,
      this.compensationStep,
      this.failureStep,
      this.commandEnvelope,
      this.command,
      this.eventEnvelope,
      this.event,
      this.eventMap,
      this.transitions,
      this.transition,
      this.contracts,
    ];
    return [
      ...fixed,
      ...kinds.flatMap((kind) => [this.eventClass(kind), this.eventData(kind)]),
      ...steps.flatMap((step) => [this.commandClass(step), this.stepCompletedClass(step), this.stepFailedClass(step)]),
    ];
  }
}
