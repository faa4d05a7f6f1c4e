/**
 * Token of the time, in milliseconds, the in-process payment and inventory providers take per call, as a remote
 * provider would (default 0). The order workers read it from `ORDER_PROVIDER_LATENCY_MS`; it makes the payment and
 * reservation fork paths' overlap visible in the timings.
 */
export const PROVIDER_LATENCY_MS = Symbol('PROVIDER_LATENCY_MS');

/**
 * `ORDER_PROVIDER_LATENCY_MS` from `env`, 0 when unset.
 * @throws Error naming the variable when it is not a whole number of milliseconds.
 */
export function providerLatencyFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ORDER_PROVIDER_LATENCY_MS;
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`ORDER_PROVIDER_LATENCY_MS must be a whole number of milliseconds (0 or more), got '${raw}'`);
  return value;
}

/** Waits `ms` (a provider's round trip); rejects at once when `signal` aborts. */
export function providerLatency(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
