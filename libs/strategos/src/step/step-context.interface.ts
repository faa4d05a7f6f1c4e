import type { LoggerService } from '@nestjs/common';

/** What a step knows about the run it is part of (its abort signal is `execute`'s third argument, not part of this). */
export interface StepContext {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly stepName: string;
  /** 1 on the first run; counts attempts across restarts. */
  readonly attempt: number;
  /** The same on every retry and redelivery of this step for this workflow instance. */
  readonly idempotencyKey: string;
  readonly logger: LoggerService;
  readonly startedAt: Date;
}
