/** Where the runtime reads the time from: the system clock, or the test harness's controllable clock. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const SYSTEM_CLOCK: Clock = { now: () => new Date() };
