import type { WorkflowState } from '../../src/state/workflow-state.interface';

/** The state the compile-time tests use: an enum status, a nested input and optional step outputs. */
export enum OrderLikeStatus {
  Pending = 'Pending',
  Paid = 'Paid',
}

export interface OrderLikeState extends WorkflowState {
  readonly order: { readonly customerId: string; readonly items: readonly { readonly sku: string; readonly price: number }[] };
  readonly status: OrderLikeStatus;
  readonly payment?: { readonly id: string; readonly amount: number };
  readonly note?: string;
}

/** A different workflow's state, to check that its steps cannot be used in an OrderLikeState workflow. */
export interface InvoiceState extends WorkflowState {
  readonly invoiceNumber?: number;
  readonly status: number;
}
