import { BadRequestException } from '@nestjs/common';

/** A place in the newest-first run list. */
export interface RunsPosition {
  readonly startedAt: string;
  readonly workflowId: string;
}

/** The opaque cursor of the next page: base64url JSON. */
export function encodeRunsCursor(position: RunsPosition): string {
  return Buffer.from(JSON.stringify(['runs', position.startedAt, position.workflowId])).toString('base64url');
}

/**
 * The position of a cursor from {@link encodeRunsCursor}.
 * @throws BadRequestException (400, code `INVALID_CURSOR`) for anything else.
 */
export function decodeRunsCursor(cursor: string): RunsPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 3 &&
    decoded[0] === 'runs' &&
    typeof decoded[1] === 'string' &&
    typeof decoded[2] === 'string'
  ) {
    const startedAt = new Date(decoded[1]);
    if (!Number.isNaN(startedAt.getTime())) return { startedAt: startedAt.toISOString(), workflowId: decoded[2] };
  }
  throw new BadRequestException({ code: 'INVALID_CURSOR', message: "cursor is not a page's nextCursor; omit it for the first page" });
}
