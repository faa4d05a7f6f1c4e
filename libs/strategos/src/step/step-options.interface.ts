import type { RetryPolicy } from './retry-policy';

/** Options of `@Step()`. */
export interface StepOptions {
  /** The stable wire name (queues, events, phases). @default the class name */
  readonly name?: string;
  /** Aborts the step's signal and counts as a technical failure after this long. @default 30000 */
  readonly timeoutMs?: number;
  /** Retry policy for technical failures; fields not given come from `forRoot`'s default. */
  readonly retry?: Partial<RetryPolicy>;
}
