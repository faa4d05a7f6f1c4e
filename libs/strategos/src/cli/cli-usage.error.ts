/** A command was called with arguments it cannot use; the command line prints its usage and exits with 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly code = 'CLI_USAGE';

  constructor(message: string) {
    super(message);
  }
}
