/** `start` was called with something that cannot start a workflow. */
export class InvalidStartError extends Error {
  override readonly name = 'InvalidStartError';

  constructor(
    readonly code: 'UNKNOWN_WORKFLOW' | 'INVALID_INITIAL_STATE' | 'INVALID_START_OPTIONS',
    readonly workflow: string,
    message: string,
  ) {
    super(message);
  }
}
