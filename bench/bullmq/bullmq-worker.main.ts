import { Queue, Worker, type Job } from 'bullmq';
import { BULLMQ_LATENCY_MARKER, BULLMQ_READY_MARKER, bullmqConfigFromEnv, bullmqQueueName, type BullmqStepJob } from './bullmq-config';
import { percentiles } from './percentiles';

/**
 * The BullMQ peer's worker process: one BullMQ Worker per step queue (concurrency = the framework's
 * prefetch); a step applies a small patch to the state and adds the next step's job (at least once: a
 * crash between the add and the completion repeats the step). Keeps the step and end-to-end latencies in
 * memory and prints their percentiles at SIGTERM.
 */
async function main(): Promise<void> {
  const config = bullmqConfigFromEnv(process.env);
  const connection = { url: config.redisUrl, maxRetriesPerRequest: null };
  const stepLatencies: number[] = [];
  const endToEnd: number[] = [];
  let lastCompletedAt = 0;
  const queues = new Map<number, Queue<BullmqStepJob>>();
  for (let step = 2; step <= config.steps; step++)
    queues.set(step, new Queue<BullmqStepJob>(bullmqQueueName(step), { connection, prefix: config.prefix }));
  const workers: Worker<BullmqStepJob>[] = [];
  for (let step = 1; step <= config.steps; step++) {
    const next = queues.get(step + 1);
    const processor = async (job: Job<BullmqStepJob>): Promise<void> => {
      const state = { ...job.data.state, status: `step-${step}-done` };
      // The last step's jobs stay as completed: the bench counts them.
      const removeOnComplete = step + 1 < config.steps;
      if (next) await next.add(bullmqQueueName(step + 1), { ...job.data, state }, { removeOnComplete, removeOnFail: false });
      const now = Date.now();
      stepLatencies.push(now - job.timestamp);
      if (!next) {
        endToEnd.push(now - job.data.startedAt);
        lastCompletedAt = now;
      }
    };
    workers.push(
      new Worker<BullmqStepJob>(bullmqQueueName(step), processor, { connection, prefix: config.prefix, concurrency: config.concurrency }),
    );
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  console.log(`${BULLMQ_READY_MARKER} ${process.pid}`);
  process.once('SIGTERM', () => {
    console.log(
      `${BULLMQ_LATENCY_MARKER} ${JSON.stringify({ stepLatencyMs: percentiles(stepLatencies), endToEndLatencyMs: percentiles(endToEnd), lastCompletedAt })}`,
    );
    void Promise.all([...workers.map((worker) => worker.close()), ...[...queues.values()].map((queue) => queue.close())]).finally(() =>
      process.exit(0),
    );
  });
}

void main().catch((error: unknown) => {
  console.error('bullmq-worker-failed', error);
  process.exit(1);
});
