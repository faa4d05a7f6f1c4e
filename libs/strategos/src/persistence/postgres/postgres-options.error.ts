/**
 * A PostgreSQL store option is invalid. Thrown at start-up; `option` names the option as a user
 * writes it in `forRoot` (`postgres.schema`).
 */
export class PostgresOptionsError extends Error {
  override readonly name = 'PostgresOptionsError';
  readonly code = 'INVALID_POSTGRES_OPTIONS';

  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`Invalid option ${option}: ${detail}`);
  }
}
