/** Codes of {@link InMemoryTransportError}; the same as the RabbitMQ transport's for the same situations. */
export type InMemoryTransportErrorCode =
  'NOT_CONNECTED' | 'TRANSPORT_CLOSED' | 'QUEUE_NOT_FOUND' | 'EXCHANGE_NOT_FOUND' | 'MESSAGE_UNROUTABLE' | 'IDLE_TIMEOUT';

/** An in-memory transport operation was refused, as a broker would refuse it. */
export class InMemoryTransportError extends Error {
  override readonly name = 'InMemoryTransportError';

  constructor(
    readonly code: InMemoryTransportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
