/** The capped exponential back-off between reconnection attempts. */
export interface ReconnectBackoff {
  /** Delay before the first attempt after a loss. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay. */
  readonly maxDelayMs: number;
}

/**
 * The delay before reconnection attempt `attempt` (0-based): `initialDelayMs * 2^attempt`, capped at
 * `maxDelayMs`, with "equal jitter" (between half and all of it) so that many processes that lost the
 * broker at the same moment do not reconnect in lock step.
 */
export function reconnectDelay(backoff: ReconnectBackoff, attempt: number, random: () => number = Math.random): number {
  const exponential = backoff.initialDelayMs * 2 ** Math.min(attempt, 30);
  const capped = Math.min(backoff.maxDelayMs, exponential);
  return Math.round(capped / 2 + (random() * capped) / 2);
}
