/** An option of `StrategosModule.forRoot` is invalid; the message names it. */
export class StrategosConfigError extends Error {
  override readonly name = 'StrategosConfigError';
  readonly code = 'INVALID_OPTION';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid Strategos option ${option}: ${message}`);
  }
}
