import { headerBytes, jsonDepthExceeds } from './message-limits';

describe('jsonDepthExceeds', () => {
  it('counts the nesting of objects and arrays, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
  });

  it('scans a body nested 200,000 levels without overflowing the stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
  });
});

describe('headerBytes', () => {
  it('grows with the values', () => {
    expect(headerBytes({ traceparent: 'x'.repeat(200_000) })).toBeGreaterThan(200_000);
    expect(headerBytes({})).toBe(0);
    expect(headerBytes(undefined)).toBe(0);
  });
});
