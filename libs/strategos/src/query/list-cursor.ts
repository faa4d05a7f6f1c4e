import type { InstancePosition } from '../persistence/instance-list-query.interface';
import { InvalidListQueryError } from './invalid-list-query.error';

const VERSION = 1;

/** The opaque `nextCursor` of a page: where the next page starts, as base64url JSON. */
export function encodeListCursor(position: InstancePosition): string {
  return Buffer.from(JSON.stringify([VERSION, position.startedAt, position.workflowId])).toString('base64url');
}

/**
 * The position a cursor from {@link encodeListCursor} stands for.
 * @throws InvalidListQueryError `INVALID_LIST_QUERY` (field `cursor`) for anything else.
 */
export function decodeListCursor(cursor: string): InstancePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 3 &&
    decoded[0] === VERSION &&
    typeof decoded[1] === 'string' &&
    typeof decoded[2] === 'string'
  ) {
    const startedAt = new Date(decoded[1]);
    if (!Number.isNaN(startedAt.getTime())) return { startedAt: startedAt.toISOString(), workflowId: decoded[2] };
  }
  throw new InvalidListQueryError(
    'cursor',
    "not a cursor returned by WorkflowQuery.list; pass a page's nextCursor unchanged, or omit it for the first page",
  );
}
