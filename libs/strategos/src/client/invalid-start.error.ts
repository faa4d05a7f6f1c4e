/** `start` was called with something that cannot start a workflow. */
export class InvalidStartError extends Error {
  override readonly name = 'InvalidStartError';
  /** The state field at fault (`order.customerId`), when one is. */
  readonly field: string | undefined;

  constructor(
    readonly code: 'UNKNOWN_WORKFLOW' | 'INVALID_INITIAL_STATE' | 'INVALID_START_OPTIONS',
    readonly workflow: string,
    message: string,
    details: { readonly field?: string; readonly cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.field = details.field;
  }
}
