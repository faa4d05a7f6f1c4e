/** Codes of {@link CliOperationError}: what an operations subcommand could not do. */
export type CliOperationErrorCode =
  /** PostgreSQL refused or did not answer (unreachable, wrong credentials, no such database). */
  | 'DATABASE_UNAVAILABLE'
  /** PostgreSQL failed a query after the connection was made. */
  | 'DATABASE_ERROR'
  /** The schema has no Strategos tables (a wrong `--schema`, or no process has migrated it). */
  | 'SCHEMA_NOT_FOUND'
  /** RabbitMQ refused or did not answer. */
  | 'BROKER_UNAVAILABLE'
  /** RabbitMQ did not confirm a message. */
  | 'PUBLISH_FAILED'
  /** The queue a message was published to does not exist (a wrong `--namespace`, or no process declared it). */
  | 'QUEUE_NOT_FOUND'
  /** A cancel or retry request was published, but no process applied it in time. */
  | 'NO_CONTROL_RESPONSE'
  /** The instance changed before the request was applied, and the request no longer applies. */
  | 'CONTROL_REQUEST_REFUSED'
  /** No dead letter has the id given. */
  | 'DEAD_LETTER_NOT_FOUND';

/**
 * What an operations subcommand (`status`, `list`, `cancel`, `dead-letters`, …) could not do; the command
 * line prints the message with the code and exits with 1. Messages never contain a password.
 */
export class CliOperationError extends Error {
  override readonly name = 'CliOperationError';

  constructor(
    readonly code: CliOperationErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
