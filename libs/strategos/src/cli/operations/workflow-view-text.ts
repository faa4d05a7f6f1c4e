import type { RecordedError } from '../../engine/workflow-instance';

/** A recorded error on one line: `NO_CARRIER at Ship: no carrier serves the address`. */
export function recordedErrorText(error: RecordedError): string {
  return `${error.code} at ${error.step}: ${error.message}`;
}

/** A time for a table or field list (ISO-8601, UTC), or undefined when there is none. */
export function timestampText(date: Date | undefined): string | undefined {
  return date?.toISOString();
}
