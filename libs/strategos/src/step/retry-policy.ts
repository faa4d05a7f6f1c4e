/** How a step's technical failures (a thrown error, a timeout) are retried. Delays are durable. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 3 */
  readonly maxAttempts: number;
  /** Delay before the second attempt. @default 200 */
  readonly initialDelayMs: number;
  /** Factor applied to the delay after each attempt. @default 2 */
  readonly multiplier: number;
  /** Upper bound of a delay before jitter (jitter can take a delay up to `maxDelayMs * (1 + jitter)`). @default 30000 */
  readonly maxDelayMs: number;
  /** Random spread applied to each delay, 0 to 1 (0.2 = plus or minus 20 %). @default 0 */
  readonly jitter: number;
}

/** The retry policy used when neither the step nor `forRoot` sets one. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 200,
  multiplier: 2,
  maxDelayMs: 30_000,
  jitter: 0,
});

/** The delay before attempt `nextAttempt` (2 for the first retry), without jitter applied when `random` is 0.5. */
export function retryDelayMs(policy: RetryPolicy, nextAttempt: number, random: number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, nextAttempt - 2));
  const spread = base * policy.jitter * (random * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}
