import { providerLatency, providerLatencyFromEnv } from './provider-latency';

describe('provider latency of the example providers', () => {
  it('reads ORDER_PROVIDER_LATENCY_MS, 0 when unset, and names the variable when it is not whole milliseconds', () => {
    expect(providerLatencyFromEnv({})).toBe(0);
    expect(providerLatencyFromEnv({ ORDER_PROVIDER_LATENCY_MS: '250' })).toBe(250);
    expect(() => providerLatencyFromEnv({ ORDER_PROVIDER_LATENCY_MS: '-1' })).toThrow(/ORDER_PROVIDER_LATENCY_MS.*'-1'/);
    expect(() => providerLatencyFromEnv({ ORDER_PROVIDER_LATENCY_MS: 'slow' })).toThrow(/ORDER_PROVIDER_LATENCY_MS/);
  });

  it('waits the given time, and stops at once when the step is aborted', async () => {
    const started = Date.now();
    await providerLatency(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    const waiting = providerLatency(10_000, controller.signal);
    controller.abort(new Error('step timed out'));
    await expect(waiting).rejects.toThrow('step timed out');
  });
});
