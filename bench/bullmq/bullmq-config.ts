/** What the bench process tells the BullMQ peer's worker (through its environment). */
export interface BullmqWorkerConfig {
  readonly redisUrl: string;
  /** Key prefix of the run's queues (unique per run). */
  readonly prefix: string;
  /** Steps per workflow, one queue each: the framework workflow's. */
  readonly steps: number;
  /** Jobs in progress at once per queue: the framework's prefetch. */
  readonly concurrency: number;
}

const VARIABLE = 'BENCH_BULLMQ_CONFIG';

/** The environment that carries `config` to the worker. */
export function bullmqConfigToEnv(config: BullmqWorkerConfig): Record<string, string> {
  return { [VARIABLE]: JSON.stringify(config) };
}

/** @throws Error when the variable is missing (the worker is started by the bench only). */
export function bullmqConfigFromEnv(env: NodeJS.ProcessEnv): BullmqWorkerConfig {
  const json = env[VARIABLE];
  if (json === undefined) throw new Error(`${VARIABLE} is not set; the BullMQ worker is started by npm run bench`);
  return JSON.parse(json) as BullmqWorkerConfig;
}

/** The queue of step `step` (1-based). */
export function bullmqQueueName(step: number): string {
  return `step-${step}`;
}

/** The job of one workflow step: the workflow's state travels with it (BullMQ keeps it in Redis). */
export interface BullmqStepJob {
  readonly workflowId: string;
  readonly state: Record<string, unknown>;
  /** When the workflow was started, epoch ms. */
  readonly startedAt: number;
}

/** The line the worker prints once it consumes. */
export const BULLMQ_READY_MARKER = 'bullmq-worker-ready';
/** The line the worker prints at SIGTERM, followed by its latency samples' summary as JSON. */
export const BULLMQ_LATENCY_MARKER = 'bullmq-worker-latency';
