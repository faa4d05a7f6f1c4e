import { isValidTraceparent, validTraceparent } from './trace-context';

describe('validTraceparent', () => {
  const good = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('keeps a valid W3C traceparent', () => {
    expect(validTraceparent(good)).toBe(good);
    expect(validTraceparent('01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-extra')).toBeDefined();
  });

  it.each([
    ['not a traceparent', 'not-a-traceparent'],
    ['oversized (200 KB)', `${good}${'0'.repeat(200_000)}`],
    ['upper-case hex', good.toUpperCase()],
    ['version ff', `ff${good.slice(2)}`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
    ['an all-zero parent id', `00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`],
    ['version 00 with extra fields', `${good}-extra`],
    ['a NUL byte', `${good.slice(0, 54)}\u0000`],
    ['a number', 42],
    ['an object', { traceparent: good }],
    ['empty', ''],
  ])('drops %s', (_label, value) => {
    expect(isValidTraceparent(value)).toBe(false);
    expect(validTraceparent(value)).toBeUndefined();
  });

  it('treats a missing one as missing', () => {
    expect(validTraceparent(undefined)).toBeUndefined();
    expect(validTraceparent(null)).toBeUndefined();
  });
});
