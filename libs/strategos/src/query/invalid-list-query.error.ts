/**
 * A `WorkflowQuery.list` filter is invalid (a limit out of range, a cursor that is not one this library
 * issued, a bad date or status); `field` names the filter field.
 */
export class InvalidListQueryError extends Error {
  override readonly name = 'InvalidListQueryError';
  readonly code = 'INVALID_LIST_QUERY';

  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`Invalid list filter ${field}: ${detail}`);
  }
}
