/** Codes of requests the engine refuses for the instance's current status. */
export type TransitionRejectedCode =
  | 'WORKFLOW_NOT_RUNNING'
  | 'WORKFLOW_NOT_RETRYABLE'
  | 'WORKFLOW_ALREADY_CANCELLING'
  | 'SIGNAL_NOT_ACCEPTED'
  | 'UNKNOWN_SIGNAL'
  | 'INVALID_SIGNAL_PAYLOAD';

/** A cancel, retry or signal that does not apply to the instance as it stands. */
export class TransitionRejectedError extends Error {
  override readonly name = 'TransitionRejectedError';

  constructor(
    readonly code: TransitionRejectedCode,
    readonly workflowId: string,
    message: string,
    /** For `INVALID_SIGNAL_PAYLOAD`: the validation errors, one line per property. */
    readonly errors?: readonly string[],
  ) {
    super(message);
  }
}
