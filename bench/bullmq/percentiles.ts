import type { LatencyPercentiles } from '../latency-stats';

/** The p50/p95/p99 of `samples` (ms, nearest rank). */
export function percentiles(samples: readonly number[]): LatencyPercentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number | null =>
    sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), samples: sorted.length };
}
