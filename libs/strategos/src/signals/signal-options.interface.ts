/** Options of `WorkflowControl.signal`. */
export interface SignalOptions {
  /**
   * The signal's id: a signal with an id the run already received is applied once (a retried HTTP call or a
   * redelivered webhook). @default a new random id
   */
  readonly signalId?: string;
}

/** What `WorkflowControl.signal` did: `applied` at the wait, `stored` until the run reaches it, or `duplicate` (ignored). */
export interface SignalResult {
  readonly workflowId: string;
  readonly signalId: string;
  readonly status: 'applied' | 'stored' | 'duplicate';
}

/** Options of `WorkflowControl.approve` / `reject`. */
export interface ApprovalOptions {
  /** Who decided. */
  readonly by?: string;
  readonly comment?: string;
  /** As for `signal`: a repeated id is applied once. */
  readonly signalId?: string;
}
