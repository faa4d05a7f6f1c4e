import { join } from 'node:path';
import { workerApplicationName, type BenchNames } from '../bench-names';
import type { BenchOptions } from '../bench-options';
import { RESULTS_DIR } from '../bench-paths';
import { ChildWorker } from '../child-worker';
import { tuningToEnv, type FrameworkTuning } from './framework-tuning';
import { WORKER_READY_MARKER, type WorkerSettings } from './worker-settings';

/** How long a framework worker may take to start consuming, or to print its query counts once stopped. */
export const WORKER_LINE_TIMEOUT_MS = 60_000;

/** Starts a framework worker ({@link ./bench-worker.main}) in a child process on the run's namespace and schema. */
export function startFrameworkWorker(options: BenchOptions, names: BenchNames, tuning: FrameworkTuning): ChildWorker {
  return new ChildWorker({
    name: 'framework-worker',
    entry: 'framework/bench-worker.main',
    env: {
      RABBITMQ_URL: options.rabbitmqUrl,
      DATABASE_URL: options.databaseUrl,
      STRATEGOS_NAMESPACE: names.namespace,
      STRATEGOS_SCHEMA: names.schema,
      BENCH_APPLICATION_NAME: workerApplicationName(names),
      ...tuningToEnv(tuning),
      ...(options.countQueries && { BENCH_COUNT_QUERIES: '1' }),
    },
    nodeFlags: options.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS_DIR, 'profiles')] : [],
    verbose: options.verbose,
  });
}

/** Resolves with the worker's settings once it consumes (its ready line). */
export async function frameworkWorkerReady(worker: ChildWorker): Promise<WorkerSettings> {
  return JSON.parse(await worker.waitForLine(WORKER_READY_MARKER, WORKER_LINE_TIMEOUT_MS)) as WorkerSettings;
}
