/**
 * Compile-time tests of the generated contracts of the order workflow: type-checked by `npm run typecheck`,
 * never run. Each `@ts-expect-error` must match a real error, so a contract that stops catching a mistake
 * fails the build.
 */
import { EventPattern, Payload } from '@nestjs/microservices';
import type { CommandOf, EventMapOf, EventOf, PhaseOf, StepOf } from '../../src/codegen/contract-types';
import type { WorkflowContracts, WorkflowEventClass } from '../../src/codegen/workflow-contracts.interface';
import type { OrderState } from '../../../orders/src/domain/order';
import {
  ExecuteProcessPaymentCommand,
  ProcessOrderCompleted,
  ProcessOrderFailed,
  ProcessOrderPhase,
  ProcessPaymentCompleted,
  processOrderContracts,
  processOrderTransitions,
  type ProcessOrderEventMap,
  type ProcessOrderPhaseChanged,
  type ProcessOrderState,
  type ProcessOrderStep,
  type ProcessOrderStepCompleted,
  type ProcessOrderStepFailed,
} from '../../../orders/src/process-order.contracts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The state type is the definition's, read from it rather than restated.
export const stateIsTheDefinitions: Equal<ProcessOrderState, OrderState> = true;

// Events: a typed consumer reads what the event has, and only that.
declare const completed: ProcessOrderCompleted;
export const itemCount: number = completed.data.state.order.items.length;
export const completedType: 'ProcessOrderCompleted' = completed.type;
// @ts-expect-error -- a Completed event carries the final state, not an error
export const completedError = completed.data.error;
// @ts-expect-error -- nor the step that ran last
export const completedStep = completed.data.step;
// @ts-expect-error -- its type is a literal: it cannot be mistaken for another event's
export const notFailed: 'ProcessOrderFailed' = completed.type;

declare const failed: ProcessOrderFailed;
export const failureCode: string | undefined = failed.data.error?.code;
export const failureStatus: 'failed' | 'compensated' = failed.data.status;
// @ts-expect-error -- a Failed event has no state
export const failedState = failed.data.state;

declare const changed: ProcessOrderPhaseChanged;
export const from: ProcessOrderPhase = changed.data.from;
export const to: ProcessOrderPhase = changed.data.to;
// @ts-expect-error -- a phase change leads to a phase of process-order (a step or a wait), never to another workflow's step
export const shipping = changed.data.to === 'ShipParcel';

declare const stepFailed: ProcessOrderStepFailed;
export const retryInMs: number | undefined = stepFailed.data.willRetry ? stepFailed.data.retryInMs : undefined;
// @ts-expect-error -- only a failure that will be retried has a delay
export const delay: number = stepFailed.data.retryInMs;

declare const stepCompleted: ProcessOrderStepCompleted;
export const paidStep: 'ProcessPayment' | undefined = ProcessPaymentCompleted.is(stepCompleted) ? stepCompleted.data.step : undefined;
// @ts-expect-error -- without the guard the step can be any step
export const anyStep: 'ProcessPayment' = stepCompleted.data.step;
// @ts-expect-error -- a step's update never holds workflowId
export const patchedId = stepCompleted.data.patch.workflowId;

// Commands: literal step, role and type.
declare const charge: ExecuteProcessPaymentCommand;
export const chargeStep: 'ProcessPayment' = charge.step;
// @ts-expect-error -- ProcessPayment is a forward step
export const chargeRole: 'compensation' = charge.role;
export const chargeQueue: string = ExecuteProcessPaymentCommand.queue('orders');

// A typed @EventPattern consumer: the pattern is the event's, and the payload is read as that event.
type Only<P extends keyof ProcessOrderEventMap> = Pick<ProcessOrderEventMap, P>;

export class OrderEventsConsumer {
  @EventPattern(ProcessOrderCompleted.pattern)
  onCompleted(@Payload() event: ProcessOrderCompleted): number {
    return event.data.state.order.items.length;
  }

  // Given the map narrowed to the pattern, Nest types the payload by the pattern.
  @EventPattern<Only<typeof ProcessOrderFailed.pattern>>(ProcessOrderFailed.pattern)
  onFailed(@Payload() event: ProcessOrderFailed): string | undefined {
    return event.data.error?.code;
  }

  // @ts-expect-error -- the handler of Completed cannot take a Failed event
  @EventPattern<Only<typeof ProcessOrderCompleted.pattern>>(ProcessOrderCompleted.pattern)
  onCompletedAsFailed(@Payload() event: ProcessOrderFailed): string | undefined {
    return event.data.error?.code;
  }

  // @ts-expect-error -- process-order has no Shipped event
  @EventPattern<ProcessOrderEventMap>('process-order.Shipped')
  onShipped(): void {}
}

// The contracts object: what the runtime registers, and the generic views of it.
export const contracts: WorkflowContracts = processOrderContracts;
type Contracts = typeof processOrderContracts;
// The order example forks: its phases include the `Fork(...)` summaries a run has in the fork, which the phases object cannot list.
export const phases: Equal<PhaseOf<Contracts>, ProcessOrderPhase> = true;
export const forkPhase: PhaseOf<Contracts> = 'Fork(ProcessPayment, ReserveInventory)';
// @ts-expect-error -- a phase is a phase of process-order, never another workflow's step
export const otherPhase: PhaseOf<Contracts> = 'ShipParcel';
// A workflow without a fork (its PhaseChanged events lead to listed phases only) has no `Fork(...)` phase.
type ListedPhase = (typeof ProcessOrderPhase)[keyof typeof ProcessOrderPhase];
type PhaseChangedWithoutFork = Omit<ProcessOrderPhaseChanged, 'data'> & {
  readonly data: { readonly from: ListedPhase; readonly to: ListedPhase };
};
type WithoutFork = Omit<Contracts, 'events'> & {
  readonly events: Omit<Contracts['events'], 'PhaseChanged'> & { readonly PhaseChanged: WorkflowEventClass<PhaseChangedWithoutFork> };
};
export const sequentialPhases: Equal<PhaseOf<WithoutFork>, ListedPhase> = true;
// @ts-expect-error -- without a fork, no `Fork(...)` phase
export const noForkPhase: PhaseOf<WithoutFork> = 'Fork(ProcessPayment)';
export const steps: Equal<StepOf<Contracts>, ProcessOrderStep> = true;
export const paymentCommand: Equal<CommandOf<Contracts, 'ProcessPayment'>, ExecuteProcessPaymentCommand> = true;
export const completedEvent: Equal<EventOf<Contracts, 'Completed'>, ProcessOrderCompleted> = true;
export const eventMap: Equal<EventMapOf<Contracts>, ProcessOrderEventMap> = true;
// @ts-expect-error -- process-order has no step ShipParcel
export const noSuchCommand = processOrderContracts.commands.ShipParcel;
// @ts-expect-error -- the table's phases are those of process-order
export const firstRow: { readonly from: 'Shipping' } = processOrderTransitions[0];
export const initial: typeof ProcessOrderPhase.NotStarted = processOrderTransitions[0].from;
