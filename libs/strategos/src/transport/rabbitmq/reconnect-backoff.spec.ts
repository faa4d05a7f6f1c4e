import { reconnectDelay } from './reconnect-backoff';

describe('reconnectDelay', () => {
  const backoff = { initialDelayMs: 100, maxDelayMs: 5000 };

  it('doubles from the initial delay up to the cap', () => {
    const upper = [0, 1, 2, 3, 6, 7, 50].map((attempt) => reconnectDelay(backoff, attempt, () => 1));
    expect(upper).toEqual([100, 200, 400, 800, 5000, 5000, 5000]);
  });

  it('jitters between half and all of the delay', () => {
    expect(reconnectDelay(backoff, 2, () => 0)).toBe(200);
    expect(reconnectDelay(backoff, 2, () => 0.5)).toBe(300);
  });
});
