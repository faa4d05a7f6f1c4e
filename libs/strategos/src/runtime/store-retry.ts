import { Logger } from '@nestjs/common';
import type { StoreRetrySettings } from '../config/strategos-settings';
import { classifyFailure } from '../persistence/failure-kind';

/** Returned by {@link StoreRetry.run} when the message should go back to the broker (shutdown, or held `maxHoldMs`). */
export const GIVE_BACK = Symbol('give back');

/** Log fields of the message being retried. */
export type RetryLogFields = Readonly<Record<string, string | number | undefined>>;

/**
 * Retries store operations in place while the store fails transiently: a store outage is a fault of the
 * environment, not of the message, so the message is held (unacknowledged, so the consumer's prefetch pauses
 * consumption) and the operation is tried again after a pause that doubles from `initialDelayMs` up to
 * `maxDelayMs`. No redelivery loop, nothing dead-lettered. After `maxHoldMs`, or at shutdown, it gives up
 * with {@link GIVE_BACK}: the caller requeues the message (one redelivery). A failure of the data itself
 * (`classifyFailure` says `data`) is rethrown at once for the caller to fail or dead-letter.
 */
export class StoreRetry {
  private readonly logger = new Logger(StoreRetry.name);
  /** Pending pauses; one abort listener wakes them all (no listener per held message on the shared signal). */
  private readonly sleepers = new Set<(completed: boolean) => void>();

  constructor(
    private readonly settings: StoreRetrySettings,
    private readonly shutdown: AbortSignal,
  ) {
    shutdown.addEventListener('abort', () => [...this.sleepers].forEach((wake) => wake(false)), { once: true });
  }

  async run<T>(operation: () => Promise<T>, fields: RetryLogFields): Promise<T | typeof GIVE_BACK> {
    const started = Date.now();
    let delayMs = this.settings.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === 'data') throw error;
        if (this.shutdown.aborted) return GIVE_BACK;
        const log = { message: 'Store unavailable; retrying in place', ...fields, attempt, delayMs, kind, error: (error as Error).message };
        if (kind === 'unknown') this.logger.error({ ...log, message: 'Unexpected store failure; retrying in place' });
        else if (attempt === 1 || attempt % 10 === 0) this.logger.warn(log);
        if (Date.now() - started + delayMs > this.settings.maxHoldMs) return GIVE_BACK;
        if (!(await this.pause(delayMs * (0.8 + Math.random() * 0.4)))) return GIVE_BACK;
        delayMs = Math.min(delayMs * 2, this.settings.maxDelayMs);
      }
    }
  }

  /** Waits `maxDelayMs` (unless shutting down) before a message that failed unexpectedly is given back: never a hot loop. */
  async pauseBeforeRedelivery(): Promise<void> {
    if (!this.shutdown.aborted) await this.pause(this.settings.maxDelayMs);
  }

  /** Waits `ms`; false when shutdown interrupted the wait. */
  private pause(ms: number): Promise<boolean> {
    if (this.shutdown.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (completed: boolean) => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve(completed);
      };
      const timer = setTimeout(() => wake(true), ms);
      this.sleepers.add(wake);
    });
  }
}
