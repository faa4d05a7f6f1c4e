/** Codes of {@link RabbitMqTransportError}; callers branch on these. */
export type RabbitMqTransportErrorCode =
  /** The broker was unreachable for longer than `unavailableTimeoutMs` (at connect, or while a publish waited for a reconnection). */
  | 'TRANSPORT_UNAVAILABLE'
  /** The channel or connection closed before the broker confirmed the messages (they may or may not have arrived): publish them again. */
  | 'CONNECTION_LOST'
  /** The transport was closed. */
  | 'TRANSPORT_CLOSED'
  /** `publish` or `consume` before `connect`. */
  | 'NOT_CONNECTED'
  /** The broker refused the credentials or the virtual host. */
  | 'ACCESS_REFUSED'
  /** A queue or exchange exists with other arguments (e.g. a classic queue where a quorum queue is declared). */
  | 'TOPOLOGY_MISMATCH'
  /** A consumed queue does not exist. */
  | 'QUEUE_NOT_FOUND'
  /** The broker negatively acknowledged a message (e.g. a full quorum queue with `reject-publish`). */
  | 'PUBLISH_NACKED'
  /** A command was published to a queue that does not exist (the broker returned it). */
  | 'MESSAGE_UNROUTABLE'
  /** The broker closed the publishing channel (e.g. an exchange that does not exist). */
  | 'PUBLISH_FAILED'
  /**
   * The broker (or the client library) refused the message for its content: it could not be encoded, or the broker
   * closed the channel or connection over it (e.g. 541 INTERNAL_ERROR, frame too large). Publishing it again cannot help.
   */
  | 'MESSAGE_REFUSED'
  /** A message's body is over `limits.maxMessageBytes`; nothing was published. */
  | 'MESSAGE_TOO_LARGE'
  /** A message's headers are over `limits.maxHeaderBytes` (RabbitMQ would close the connection over them); nothing was published. */
  | 'HEADERS_TOO_LARGE';

/** A RabbitMQ transport operation failed; `code` says why, the message says what to do. */
export class RabbitMqTransportError extends Error {
  override readonly name = 'RabbitMqTransportError';

  constructor(
    readonly code: RabbitMqTransportErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
