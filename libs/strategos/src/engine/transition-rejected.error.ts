/** Codes of requests the engine refuses for the instance's current status. */
export type TransitionRejectedCode = 'WORKFLOW_NOT_RUNNING' | 'WORKFLOW_NOT_RETRYABLE' | 'WORKFLOW_ALREADY_CANCELLING';

/** A cancel or retry that does not apply to the instance as it stands. */
export class TransitionRejectedError extends Error {
  override readonly name = 'TransitionRejectedError';

  constructor(
    readonly code: TransitionRejectedCode,
    readonly workflowId: string,
    message: string,
  ) {
    super(message);
  }
}
