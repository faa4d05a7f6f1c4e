import { findUnstorableText, isStorableText, toStorableText } from './unstorable-text';

describe('unstorable text', () => {
  it('finds NUL and lone surrogates, and accepts surrogate pairs', () => {
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\uD800b')).toBe(false);
    expect(isStorableText('a\uDC00')).toBe(false);
    expect(isStorableText('emoji 😀 ok')).toBe(true);
    expect(toStorableText('a\u0000b\uD800')).toBe('a\uFFFDb\uFFFD');
  });

  it('names the path of the first unstorable string or key', () => {
    expect(findUnstorableText({ order: { items: [{ sku: 'ok' }, { sku: 'x\u0000' }] } })).toBe('order.items[1].sku');
    expect(findUnstorableText({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(findUnstorableText({ a: ['fine', 1, null, true] })).toBeNull();
  });

  it('copes with any depth', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toMatch(/^(\[0\]){100000}$/);
  });
});
