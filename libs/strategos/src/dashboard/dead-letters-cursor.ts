import { BadRequestException } from '@nestjs/common';
import type { DeadLetterPosition } from '../dead-letters/dead-letter';

/** The opaque cursor of the next page of dead letters: base64url JSON of the last letter's time and id. */
export function encodeDeadLettersCursor(position: DeadLetterPosition): string {
  return Buffer.from(JSON.stringify(['dead-letters', position.deadLetteredAt, position.id])).toString('base64url');
}

/**
 * The position of a cursor from {@link encodeDeadLettersCursor}.
 * @throws BadRequestException (400, code `INVALID_CURSOR`) for anything else.
 */
export function decodeDeadLettersCursor(cursor: string): DeadLetterPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 3 && decoded[0] === 'dead-letters' && typeof decoded[2] === 'string') {
    const at = typeof decoded[1] === 'string' ? new Date(decoded[1]) : new Date(Number.NaN);
    if (!Number.isNaN(at.getTime())) return { deadLetteredAt: at.toISOString(), id: decoded[2] };
  }
  throw new BadRequestException({ code: 'INVALID_CURSOR', message: "cursor is not a page's nextCursor; omit it for the first page" });
}
