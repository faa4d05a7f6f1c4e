import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import type { EndedFlow, FlowBuilder } from './flow-builder';

/** A class-validator class of a signal's payload (a DTO with decorators), or any class with a no-argument constructor. */
export type PayloadClass<P extends object> = new () => P;

/** A sub-flow after a wait: the timeout path or an approval's rejection path. */
export type WaitSubFlow<S extends WorkflowState> = (flow: FlowBuilder<S>) => FlowBuilder<S> | EndedFlow<S>;

/** The patch a signal makes to the state: a pure function of the state and the validated payload. */
export type SignalApply<S extends WorkflowState, P extends object> = (
  state: Readonly<S>,
  payload: Readonly<P>,
) => Partial<Omit<S, 'workflowId'>> | JsonObject;

/** Options of `awaitSignal(name, options)`. */
export interface AwaitSignalOptions<S extends WorkflowState, P extends object> {
  /** Wait only when this holds on the state as the run arrives; otherwise the run goes straight on. @default always */
  readonly when?: (state: Readonly<S>) => boolean;
  /** The class the payload is validated with (class-validator): a bad payload is refused, the run keeps waiting. */
  readonly payload?: PayloadClass<P>;
  /** The patch the signal makes; none when absent. */
  readonly apply?: SignalApply<S, P>;
  /** How long the run waits at most; without it, it waits until the signal (or the workflow's deadline). */
  readonly timeoutMs?: number;
  /** The path taken when the timeout passes (it rejoins the flow after the wait); without it the run fails with `SIGNAL_TIMEOUT`. */
  readonly onTimeout?: WaitSubFlow<S>;
}

/** Options of `awaitApproval(name, options)`. */
export interface AwaitApprovalOptions<S extends WorkflowState> {
  /** Ask for approval only when this holds (e.g. an order over a limit); otherwise the run goes straight on. @default always */
  readonly when?: (state: Readonly<S>) => boolean;
  /** How long the run waits at most for a decision. */
  readonly timeoutMs?: number;
  /** The path taken when the timeout passes; without it the run fails with `SIGNAL_TIMEOUT`. */
  readonly onTimeout?: WaitSubFlow<S>;
  /**
   * The path taken on a rejection (it rejoins the flow after the wait, or ends the run; inside a `repeatUntil`
   * body it may loop back); without it a rejection fails the run with `APPROVAL_REJECTED`.
   */
  readonly onRejection?: WaitSubFlow<S>;
  /** The patch the decision makes (e.g. record who approved); none when absent. */
  readonly apply?: SignalApply<S, { readonly approved: boolean; readonly by?: string; readonly comment?: string }>;
}
