import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { initialOrderState } from '@app/orders';
import type { Pool } from 'pg';
import type { BenchNames } from '../bench-names';
import type { BenchOptions } from '../bench-options';
import { bestEffort } from '../best-effort';
import { ChildWorker } from '../child-worker';
import { waitForCompletion } from '../completion-poller';
import { CpuMeter, type CpuPerStep } from '../cpu-usage';
import type { LatencyPercentiles } from '../latency-stats';
import { progress } from '../progress';
import { throughput, type Throughput } from '../throughput';
import {
  BULLMQ_LATENCY_MARKER,
  BULLMQ_READY_MARKER,
  bullmqConfigToEnv,
  bullmqQueueName,
  type BullmqStepJob,
  type BullmqWorkerConfig,
} from './bullmq-config';
import { withRedisAof, type RedisAofSettings } from './redis-aof';

/** The BullMQ peer's results. */
export interface BullmqResult extends Throughput {
  readonly stepLatencyMs: LatencyPercentiles | null;
  readonly endToEndLatencyMs: LatencyPercentiles | null;
  readonly workerPeakRssMb: number | null;
  /** CPU per step: the worker, this process (the starter) and the Redis server. */
  readonly cpuMsPerStep: CpuPerStep;
  readonly redis: RedisAofSettings;
  readonly settings: { readonly steps: number; readonly concurrency: number };
  /** What BullMQ does not give: it is at least once (a step can run twice), with up to a second of writes lost on a crash of Redis. */
  readonly guarantees: string;
}

const READY_TIMEOUT_MS = 30_000;
const STALL_MS = 30_000;

/**
 * The same workflows as BullMQ jobs (one queue per step, the state in the job) on the local Redis with
 * AOF (fsync every second), as the peer a Nest user weighs Strategos against. The run's keys are removed
 * afterwards.
 */
export async function runBullmq(
  options: BenchOptions,
  names: BenchNames,
  settings: { readonly steps: number; readonly concurrency: number },
  pool: Pool,
): Promise<BullmqResult> {
  const { result, aof } = await withRedisAof(options.redisUrl, () => runWithAof(options, names, settings, pool));
  return { ...result, redis: aof };
}

async function runWithAof(
  options: BenchOptions,
  names: BenchNames,
  settings: { readonly steps: number; readonly concurrency: number },
  pool: Pool,
): Promise<Omit<BullmqResult, 'redis'>> {
  const config: BullmqWorkerConfig = { redisUrl: options.redisUrl, prefix: names.namespace, ...settings };
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queues = Array.from(
    { length: settings.steps },
    (_, i) => new Queue<BullmqStepJob>(bullmqQueueName(i + 1), { connection, prefix: config.prefix }),
  );
  const worker = new ChildWorker({
    name: 'bullmq-worker',
    entry: 'bullmq/bullmq-worker.main',
    env: bullmqConfigToEnv(config),
    verbose: options.verbose,
  });
  try {
    await worker.waitForLine(BULLMQ_READY_MARKER, READY_TIMEOUT_MS);
    const cpu = new CpuMeter({ workerPid: worker.pid, pool, postgresApplicationNames: [], broker: 'redis' });
    await cpu.start();
    const startedAt = Date.now();
    progress(`bullmq: starting ${options.workflows} workflows`);
    for (let offset = 0; offset < options.workflows; offset += options.startChunkSize) {
      const size = Math.min(options.startChunkSize, options.workflows - offset);
      await queues[0].addBulk(
        Array.from({ length: size }, () => {
          const workflowId = randomUUID();
          const data: BullmqStepJob = {
            workflowId,
            state: initialOrderState(undefined, workflowId) as unknown as Record<string, unknown>,
            startedAt: Date.now(),
          };
          return { name: bullmqQueueName(1), data, opts: { removeOnComplete: settings.steps > 1, removeOnFail: false } };
        }),
      );
    }
    const last = queues[settings.steps - 1];
    await waitForCompletion({
      label: 'bullmq',
      target: options.workflows,
      intervalMs: options.pollIntervalMs,
      stallMs: STALL_MS,
      count: async () => {
        const completed = await last.getCompletedCount();
        return { completed, terminal: completed + (await last.getFailedCount()) };
      },
      failure: () => worker.exitReason,
    });
    const spent = await cpu.stop();
    const workerPeakRssMb = await worker.peakRssMb();
    const latency = worker.waitForLine(BULLMQ_LATENCY_MARKER, READY_TIMEOUT_MS).then(
      (json) => JSON.parse(json) as { stepLatencyMs: LatencyPercentiles; endToEndLatencyMs: LatencyPercentiles; lastCompletedAt: number },
      () => null,
    );
    progress(`bullmq: worker stopped (${await worker.stop()})`);
    const measured = await latency;
    const steps = options.workflows * settings.steps;
    const endedAt = measured?.lastCompletedAt || Date.now();
    return {
      ...throughput(options.workflows, steps, endedAt - startedAt),
      stepLatencyMs: measured?.stepLatencyMs ?? null,
      endToEndLatencyMs: measured?.endToEndLatencyMs ?? null,
      workerPeakRssMb,
      cpuMsPerStep: spent.perStep(steps),
      settings,
      guarantees:
        'at least once (a step whose worker dies after adding the next job runs again), no exactly-once transition, no event log; Redis AOF fsynced every second (a Redis crash may lose up to a second of writes)',
    };
  } finally {
    await worker.stop();
    for (const queue of queues) {
      await bestEffort(`removing BullMQ queue ${queue.name}`, async () => {
        await queue.obliterate({ force: true });
        await queue.close();
      });
    }
  }
}
