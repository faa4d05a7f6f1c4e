import type { Clock } from '../signals/clock';

/**
 * The test harness's controllable clock: it starts at the system time and runs with it; `advance(ms)` moves it
 * forward (time skipping), so that a 48-hour timeout is tested in milliseconds. The harness fires what fell due.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly onAdvance: () => Promise<void> = async () => undefined) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /**
   * Moves the clock `ms` forward, then fires the timers (and retry back-offs) that fell due and lets the runs they
   * resume settle.
   * @throws RangeError for a negative or non-finite `ms`.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite, non-negative number of milliseconds, got ${ms}`);
    this.offsetMs += ms;
    await this.onAdvance();
  }

  /** Moves the clock forward to `date` (no-op when it is already past it). */
  advanceTo(date: Date): Promise<void> {
    return this.advance(Math.max(0, date.getTime() - this.now().getTime()));
  }
}
