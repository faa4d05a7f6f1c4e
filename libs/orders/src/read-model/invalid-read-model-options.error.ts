/** An option of the order status read model is invalid; `option` names it as written in `forRoot`. Thrown at start-up. */
export class InvalidReadModelOptionsError extends Error {
  override readonly name = 'InvalidReadModelOptionsError';
  readonly code = 'INVALID_READ_MODEL_OPTIONS';

  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`Invalid option ${option} of OrderStatusReadModelModule: ${detail}`);
  }
}
