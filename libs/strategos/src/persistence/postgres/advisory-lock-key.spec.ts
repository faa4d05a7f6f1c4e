import { advisoryLockKey } from './advisory-lock-key';

describe('advisoryLockKey', () => {
  it('derives the same 64-bit key for a scope in every process, and different keys for different scopes', () => {
    const key = advisoryLockKey('strategos:migrate:orders');
    expect(advisoryLockKey('strategos:migrate:orders')).toBe(key);
    expect(advisoryLockKey('strategos:migrate:billing')).not.toBe(key);
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });
});
