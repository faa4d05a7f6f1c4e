import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy';

describe('retryDelayMs', () => {
  const policy: RetryPolicy = { maxAttempts: 10, initialDelayMs: 100, multiplier: 3, maxDelayMs: 5_000, jitter: 0 };

  it('waits initialDelayMs before the second attempt', () => {
    expect(retryDelayMs(policy, 2, 0.5)).toBe(100);
  });

  it('multiplies the delay by the multiplier for each later attempt', () => {
    expect([2, 3, 4, 5].map((attempt) => retryDelayMs(policy, attempt, 0.5))).toEqual([100, 300, 900, 2_700]);
  });

  it('caps the delay at maxDelayMs', () => {
    expect(retryDelayMs(policy, 6, 0.5)).toBe(5_000);
    expect(retryDelayMs(policy, 30, 0.5)).toBe(5_000);
  });

  it('keeps a constant delay with a multiplier of 1', () => {
    const constant = { ...policy, multiplier: 1 };

    expect([2, 3, 8].map((attempt) => retryDelayMs(constant, attempt, 0.5))).toEqual([100, 100, 100]);
  });

  it('applies no jitter when random is 0.5', () => {
    expect(retryDelayMs({ ...policy, jitter: 0.5 }, 3, 0.5)).toBe(300);
  });

  it('spreads the delay between base*(1-jitter) and base*(1+jitter)', () => {
    const jittered = { ...policy, jitter: 0.2 };

    expect(retryDelayMs(jittered, 3, 0)).toBe(240);
    expect(retryDelayMs(jittered, 3, 1)).toBe(360);
    for (let random = 0; random < 1; random += 0.05) {
      const delay = retryDelayMs(jittered, 3, random);
      expect(delay).toBeGreaterThanOrEqual(240);
      expect(delay).toBeLessThanOrEqual(360);
    }
  });

  it('applies jitter to the capped delay, so a delay can exceed maxDelayMs by the jitter at most', () => {
    expect(retryDelayMs({ ...policy, jitter: 0.1 }, 30, 1)).toBe(5_500);
  });

  it('never returns a negative delay, even with full jitter', () => {
    expect(retryDelayMs({ ...policy, jitter: 1 }, 2, 0)).toBe(0);
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(retryDelayMs({ ...policy, initialDelayMs: 33, jitter: 0.37 }, 3, 0.123))).toBe(true);
  });

  it('defaults to 3 attempts, 200 ms doubling up to 30 s, without jitter', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 3, initialDelayMs: 200, multiplier: 2, maxDelayMs: 30_000, jitter: 0 });
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
    expect([2, 3].map((attempt) => retryDelayMs(DEFAULT_RETRY_POLICY, attempt, 0.5))).toEqual([200, 400]);
  });
});
