import { Logger } from '@nestjs/common';

/** Length of a version-00 W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`). */
export const TRACEPARENT_LENGTH = 55;

/** Longest `traceparent` looked at: a future version may append fields, but never kilobytes of them. */
export const MAX_TRACEPARENT_LENGTH = 256;

const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[0-9a-zA-Z-]*)?$/;
const ALL_ZEROS = /^0+$/;

const logger = new Logger('StrategosTracing');

/**
 * The one check of W3C trace context at every entry (client start, start queue, step commands, the example's
 * HTTP API): returns `value` when it is a valid `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header),
 * else `undefined`, with a debug log. An invalid, oversized or non-string value is dropped, never an error: the run
 * then gets a fresh trace, as tracing must never fail or stall a workflow.
 *
 * @example inStartSpan(workflow, workflowId, validTraceparent(request.headers.traceparent), start)
 */
export function validTraceparent(value: unknown, where = 'traceparent'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isValidTraceparent(value)) return value;
  logger.debug({
    message: 'Invalid W3C traceparent dropped; the run gets a fresh trace',
    where,
    type: typeof value,
    length: typeof value === 'string' ? value.length : undefined,
  });
  return undefined;
}

/** Whether `value` is a W3C `traceparent` Strategos carries (version 00 exactly; later versions by their first four fields). */
export function isValidTraceparent(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < TRACEPARENT_LENGTH || value.length > MAX_TRACEPARENT_LENGTH) return false;
  const match = TRACEPARENT_PATTERN.exec(value);
  if (!match) return false;
  const [, version, traceId, parentId, , rest] = match;
  if (version === 'ff' || ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return false;
  // Version 00 has exactly four fields; a later version may add some after a dash.
  return version === '00' ? rest === undefined : true;
}
