/** Codes of {@link StrategosEventsServerError}. */
export type StrategosEventsServerErrorCode = 'NOT_LISTENING' | 'UNSUPPORTED_OPERATION';

/** A {@link StrategosEventsServer} call that does not apply (yet). */
export class StrategosEventsServerError extends Error {
  override readonly name = 'StrategosEventsServerError';

  constructor(
    readonly code: StrategosEventsServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
