import { integerOption, stringListOption } from './option-values';

describe('option values', () => {
  it('reads a whole number in range, or the fallback', () => {
    expect(integerOption({ limit: '20' }, 'limit', { min: 1, max: 500 }, 50)).toBe(20);
    expect(integerOption({}, 'limit', { min: 1, max: 500 }, 50)).toBe(50);
    expect(integerOption({}, 'limit', { min: 1, max: 500 })).toBeUndefined();
  });

  it.each(['0', '501', '2.5', 'ten', '-1', ''])('refuses --limit %j naming the option', (text) => {
    expect(() => integerOption({ limit: text }, 'limit', { min: 1, max: 500 }, 50)).toThrow(
      /^--limit must be a whole number from 1 to 500/,
    );
  });

  it('splits repeated and comma-separated values', () => {
    expect(stringListOption({ status: ['failed', 'running, cancelled'] }, 'status')).toEqual(['failed', 'running', 'cancelled']);
    expect(stringListOption({}, 'status')).toBeUndefined();
    expect(() => stringListOption({ status: [','] }, 'status')).toThrow('--status needs a value');
  });
});
