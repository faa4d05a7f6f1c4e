import { isWildcardPattern, routingKeyMatches } from './routing-key-pattern';

describe('routingKeyMatches', () => {
  it.each([
    ['process-order.Completed', 'process-order.Completed', true],
    ['process-order.Completed', 'process-order.Failed', false],
    ['process-order.*', 'process-order.Completed', true],
    ['process-order.*', 'process-order', false],
    ['process-order.*', 'process-order.Step.Done', false],
    ['process-order.#', 'process-order', true],
    ['process-order.#', 'process-order.Step.Done', true],
    ['#', 'anything.at.all', true],
    ['#.Completed', 'process-order.Completed', true],
    ['#.Completed', 'Completed', true],
    ['*.Completed', 'a.b.Completed', false],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(routingKeyMatches(pattern, key)).toBe(expected);
  });

  it('tells wildcard patterns from literal ones', () => {
    expect(isWildcardPattern('process-order.#')).toBe(true);
    expect(isWildcardPattern('*.Completed')).toBe(true);
    expect(isWildcardPattern('process-order.Completed')).toBe(false);
    expect(isWildcardPattern('odd#name.x')).toBe(false);
  });
});
