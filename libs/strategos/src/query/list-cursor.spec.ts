import { decodeListCursor, encodeListCursor } from './list-cursor';

describe('list cursors', () => {
  it('round-trips a position through an opaque, URL-safe string', () => {
    const position = { startedAt: '2030-01-02T03:04:05.678Z', workflowId: 'order/42 ü' };
    const cursor = encodeListCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListCursor(cursor)).toEqual(position);
  });

  it.each([
    '',
    'not-a-cursor',
    Buffer.from('[2,"2030-01-01T00:00:00.000Z","a"]').toString('base64url'),
    Buffer.from('[1,"yesterday","a"]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
  ])('rejects %p with INVALID_LIST_QUERY naming the cursor', (cursor) => {
    expect(() => decodeListCursor(cursor)).toThrow(expect.objectContaining({ code: 'INVALID_LIST_QUERY', field: 'cursor' }));
  });
});
