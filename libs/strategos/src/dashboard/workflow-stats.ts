/** Latency of one step over recent completed runs, in ms (from the step's phase change to its completion, retries included). */
export interface StepLatency {
  readonly step: string;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** A step queue of the workflow as the broker reports it. */
export interface StepQueueStatus {
  readonly step: string;
  readonly queue: string;
  /** Null when the broker could not be asked (the queue does not exist, or no connection). */
  readonly consumers: number | null;
  readonly messages: number | null;
  /** Runs currently at this step, on the main flow or on one of a fork's paths. */
  readonly runsWaiting: number;
  /** No consumer while messages or runs wait for the step. */
  readonly stalled: boolean;
}

/** Per-workflow figures of the stats page, over the last `windowMinutes`. */
export interface WorkflowStats {
  readonly workflow: string;
  readonly windowMinutes: number;
  readonly started: number;
  readonly completed: number;
  /** Runs that ended failed or compensated. */
  readonly failed: number;
  readonly cancelled: number;
  readonly running: number;
  /** Runs finished per minute. */
  readonly throughputPerMinute: number;
  /** failed / (completed + failed), 0 when none finished. */
  readonly failureRate: number;
  readonly stepLatencies: StepLatency[];
  readonly queues: StepQueueStatus[];
}
