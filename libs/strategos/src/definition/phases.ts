/** Phases every workflow has besides one per step. */
export const Phase = {
  NotStarted: 'NotStarted',
  Completed: 'Completed',
  Compensating: 'Compensating',
  Compensated: 'Compensated',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
} as const;

export type BuiltInPhase = (typeof Phase)[keyof typeof Phase];

/** Names a step cannot take because they are phases of their own. */
export const RESERVED_STEP_NAMES: ReadonlySet<string> = new Set(Object.values(Phase));
