import { decodeDeadLettersCursor, encodeDeadLettersCursor } from './dead-letters-cursor';
import { encodeRunsCursor } from './runs-cursor';

describe('dead-letters cursor', () => {
  it('round-trips the position of the last letter of a page', () => {
    const position = { deadLetteredAt: '2026-01-02T03:04:05.678Z', id: 'q:42' };
    expect(decodeDeadLettersCursor(encodeDeadLettersCursor(position))).toEqual(position);
  });

  it.each([
    ['junk'],
    [encodeRunsCursor({ startedAt: '2026-01-02T03:04:05.678Z', workflowId: 'w' })],
    [Buffer.from('["dead-letters","not a date","x"]').toString('base64url')],
  ])('refuses %s with INVALID_CURSOR', (cursor) => {
    expect(() => decodeDeadLettersCursor(cursor)).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ code: 'INVALID_CURSOR' }) }),
    );
  });
});
