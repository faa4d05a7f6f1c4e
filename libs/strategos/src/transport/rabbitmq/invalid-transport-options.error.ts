/** A transport option has an invalid value; `option` names it (`reconnect.maxDelayMs`). */
export class InvalidTransportOptionsError extends Error {
  override readonly name = 'InvalidTransportOptionsError';
  readonly code = 'INVALID_TRANSPORT_OPTIONS';

  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`Transport option ${option} ${detail}`);
  }
}
