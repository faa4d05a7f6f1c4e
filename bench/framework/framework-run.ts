import { join } from 'node:path';
import { initialOrderState, processOrder } from '@app/orders';
import type { Pool } from 'pg';
import type { BenchNames } from '../bench-names';
import type { BenchOptions } from '../bench-options';
import { bestEffort } from '../best-effort';
import { RESULTS_DIR } from '../bench-paths';
import { ChildWorker } from '../child-worker';
import { cpuPerStep, cpuSnapshot, type CpuPerStep } from '../cpu-usage';
import { waitForCompletion } from '../completion-poller';
import type { LatencyPercentiles } from '../latency-stats';
import { progress } from '../progress';
import { retrying } from '../retrying';
import { startInChunks } from '../start-in-chunks';
import { tableActivityPerStep, type TableActivity } from '../table-activity';
import { throughput, type Throughput } from '../throughput';
import { countTerminal, describeUnfinished, measureFramework } from './framework-measurements';
import { removeFrameworkTopology } from './framework-topology';
import { tuningToEnv, type FrameworkTuning } from './framework-tuning';
import { createStarterApp, type StarterApp } from './starter-app';
import { QUERY_COUNTS_MARKER, WORKER_READY_MARKER, type WorkerSettings } from './worker-settings';

/** The framework run's results. */
export interface FrameworkResult extends Throughput {
  readonly completed: number;
  readonly failed: number;
  /** How long starting all workflows took (the starts overlap with execution). */
  readonly startDurationMs: number;
  readonly stepLatencyMs: LatencyPercentiles;
  readonly endToEndLatencyMs: LatencyPercentiles;
  /** Peak RSS of the worker process over its life. */
  readonly workerPeakRssMb: number | null;
  /** CPU time per step by process, from the first start to the last completion. */
  readonly cpuMsPerStep: CpuPerStep;
  /** Rows written per step, by table, by the worker and the starter together. */
  readonly tableActivityPerStep: Record<string, TableActivity>;
  /** Queries the worker sent, by statement (with `--count-queries`). */
  readonly workerQueries: Record<string, number> | null;
  readonly settings: WorkerSettings;
}

type RunMeasurements = Omit<FrameworkResult, 'workerPeakRssMb' | 'tableActivityPerStep' | 'workerQueries' | 'settings'>;

const READY_TIMEOUT_MS = 60_000;
const STALL_MS = 30_000;

/**
 * N order workflows through the real broker and database: a worker child process executes the steps, an
 * API-only app in this process starts them; the run's own namespace and schema are removed afterwards.
 */
export async function runFramework(
  options: BenchOptions,
  names: BenchNames,
  tuning: FrameworkTuning,
  pool: Pool,
): Promise<FrameworkResult> {
  const worker = startWorker(options, names, tuning);
  let app: StarterApp | undefined;
  try {
    const settings = JSON.parse(await worker.waitForLine(WORKER_READY_MARKER, READY_TIMEOUT_MS)) as WorkerSettings;
    progress(`framework: worker ${worker.pid} ready ${JSON.stringify(settings)}`);
    app = await createStarterApp(names, options, tuning);
    const run = await measureRun(options, names, pool, app, worker);
    const workerPeakRssMb = await worker.peakRssMb();
    const queries = options.countQueries
      ? worker.waitForLine(QUERY_COUNTS_MARKER, READY_TIMEOUT_MS).then((json) => JSON.parse(json) as Record<string, number>)
      : null;
    progress(`framework: worker stopped (${await worker.stop()})`);
    await app.close();
    app = undefined;
    return {
      ...run,
      workerPeakRssMb,
      tableActivityPerStep: await tableActivityPerStep(pool, names.schema, run.steps),
      workerQueries: await queries,
      settings,
    };
  } finally {
    await worker.stop();
    await bestEffort('closing the starter app', async () => app?.close());
    await bestEffort(`removing ${names.namespace} and schema ${names.schema}`, () =>
      removeFrameworkTopology(options.rabbitmqUrl, names.namespace, pool, names.schema),
    );
  }
}

function startWorker(options: BenchOptions, names: BenchNames, tuning: FrameworkTuning): ChildWorker {
  return new ChildWorker({
    name: 'framework-worker',
    entry: 'framework/bench-worker.main',
    env: {
      RABBITMQ_URL: options.rabbitmqUrl,
      DATABASE_URL: options.databaseUrl,
      STRATEGOS_NAMESPACE: names.namespace,
      STRATEGOS_SCHEMA: names.schema,
      ...tuningToEnv(tuning),
      ...(options.countQueries && { BENCH_COUNT_QUERIES: '1' }),
    },
    nodeFlags: options.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS_DIR, 'profiles')] : [],
    verbose: options.verbose,
  });
}

async function measureRun(
  options: BenchOptions,
  names: BenchNames,
  pool: Pool,
  app: StarterApp,
  worker: ChildWorker,
): Promise<RunMeasurements> {
  const before = await cpuSnapshot(worker.pid);
  const startedAt = Date.now();
  progress(`framework: starting ${options.workflows} workflows`);
  await startInChunks(options.workflows, options.startChunkSize, () => app.starter.start(processOrder, initialOrderState()));
  const startDurationMs = Date.now() - startedAt;
  progress(`framework: all started in ${startDurationMs} ms`);
  const counts = await waitForCompletion({
    label: 'framework',
    target: options.workflows,
    intervalMs: options.pollIntervalMs,
    stallMs: STALL_MS,
    count: () => countTerminal(pool, names.schema),
    describeStall: async () => `${await describeUnfinished(pool, names.schema)}\nWorker output:\n${worker.recentOutput}`,
    failure: () => worker.exitReason,
  });
  const after = await cpuSnapshot(worker.pid);
  const measured = await retrying(() => measureFramework(pool, names.schema));
  return {
    ...throughput(counts.completed, measured.stepsCompleted, measured.lastCompletedAtMs - startedAt),
    completed: counts.completed,
    failed: counts.terminal - counts.completed,
    startDurationMs,
    stepLatencyMs: measured.stepLatencyMs,
    endToEndLatencyMs: measured.endToEndLatencyMs,
    cpuMsPerStep: cpuPerStep(before, after, measured.stepsCompleted),
  };
}
