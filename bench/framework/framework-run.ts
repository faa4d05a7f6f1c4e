import { initialOrderState } from '@app/orders';
import type { Pool } from 'pg';
import { starterApplicationName, workerApplicationName, type BenchNames } from '../bench-names';
import type { BenchOptions } from '../bench-options';
import { bestEffort } from '../best-effort';
import type { ChildWorker } from '../child-worker';
import { CpuMeter, type CpuPerStep } from '../cpu-usage';
import { waitForCompletion } from '../completion-poller';
import type { LatencyPercentiles } from '../latency-stats';
import { progress } from '../progress';
import { retrying } from '../retrying';
import { startAtRate } from '../start-at-rate';
import { startInChunks } from '../start-in-chunks';
import { tableActivityPerStep, tableCounters, type TableActivity } from '../table-activity';
import { tableSizes, type TableSize } from '../table-sizes';
import { throughput, type Throughput } from '../throughput';
import { benchOrder } from './bench-order.workflow';
import { countTerminal, describeUnfinished, measureFramework } from './framework-measurements';
import { removeFrameworkTopology } from './framework-topology';
import { preloadFrameworkSchema } from './framework-preload';
import { newWorkflowId } from '../workflow-id';
import type { FrameworkTuning } from './framework-tuning';
import { frameworkWorkerReady, startFrameworkWorker, WORKER_LINE_TIMEOUT_MS } from './framework-worker';
import { createStarterApp, type StarterApp } from './starter-app';
import { QUERY_COUNTS_MARKER, type WorkerSettings } from './worker-settings';

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
  /** Rows, dead tuples and bytes on disk per table after the run. */
  readonly tableSizes: Record<string, TableSize>;
  /** Workflows started per second (open loop), or null when all were started at once (closed loop, in chunks). */
  readonly startRatePerSec: number | null;
  /** Queries the worker sent, by statement (with `--count-queries`). */
  readonly workerQueries: Record<string, number> | null;
  readonly settings: WorkerSettings;
}

type RunMeasurements = Omit<
  FrameworkResult,
  'workerPeakRssMb' | 'tableActivityPerStep' | 'tableSizes' | 'workerQueries' | 'settings' | 'startRatePerSec'
>;

const STALL_MS = 30_000;

/**
 * N order workflows through the real broker and database: a worker child process executes the steps, an
 * API-only app in this process starts them (all at once in chunks, or open loop at `ratePerSec`); the
 * run's own namespace and schema are removed afterwards. With `--preload N`, the schema holds N finished runs
 * (analyzed) before the worker starts; they are counted and measured apart from the run's.
 */
export async function runFramework(
  options: BenchOptions,
  names: BenchNames,
  tuning: FrameworkTuning,
  pool: Pool,
  ratePerSec: number | null = null,
): Promise<FrameworkResult> {
  let worker: ChildWorker | undefined;
  let app: StarterApp | undefined;
  try {
    // The preloaded rows' counters are not the run's (the schema is the run's own, so without a preload they are zero).
    let before: Record<string, TableActivity> = {};
    if (options.preload > 0) {
      await preloadFrameworkSchema(options, names, tuning, pool);
      before = await tableCounters(pool, names.schema);
    }
    worker = startFrameworkWorker(options, names, tuning);
    const settings = await frameworkWorkerReady(worker);
    progress(`framework: worker ${worker.pid} ready ${JSON.stringify(settings)}`);
    app = await createStarterApp(names, options, tuning);
    const run = await measureRun(options, names, pool, app, worker, ratePerSec);
    const workerPeakRssMb = await worker.peakRssMb();
    const queries = options.countQueries
      ? worker.waitForLine(QUERY_COUNTS_MARKER, WORKER_LINE_TIMEOUT_MS).then((json) => JSON.parse(json) as Record<string, number>)
      : null;
    progress(`framework: worker stopped (${await worker.stop()})`);
    await app.close();
    app = undefined;
    return {
      ...run,
      workerPeakRssMb,
      tableActivityPerStep: await tableActivityPerStep(pool, names.schema, run.steps, before),
      tableSizes: await tableSizes(pool, names.schema),
      startRatePerSec: ratePerSec,
      workerQueries: await queries,
      settings,
    };
  } finally {
    await worker?.stop();
    await bestEffort('closing the starter app', async () => app?.close());
    await bestEffort(`removing ${names.namespace} and schema ${names.schema}`, () =>
      removeFrameworkTopology(options.rabbitmqUrl, names.namespace, pool, names.schema),
    );
  }
}

async function measureRun(
  options: BenchOptions,
  names: BenchNames,
  pool: Pool,
  app: StarterApp,
  worker: ChildWorker,
  ratePerSec: number | null,
): Promise<RunMeasurements> {
  const cpu = new CpuMeter({
    workerPid: worker.pid,
    pool,
    postgresApplicationNames: [workerApplicationName(names), starterApplicationName(names)],
    broker: 'rabbitmq',
  });
  await cpu.start();
  const startedAt = Date.now();
  // Counting and measuring see only the rows of workflows started from now on (not preloaded ones).
  const since = new Date(startedAt);
  const start = () => app.starter.start(benchOrder, initialOrderState(undefined, newWorkflowId(options.workflowIds)));
  if (ratePerSec === null) {
    progress(`framework: starting ${options.workflows} workflows`);
    await startInChunks(options.workflows, options.startChunkSize, start);
  } else {
    progress(`framework: starting ${options.workflows} workflows at ${ratePerSec}/s (open loop)`);
    await startAtRate(options.workflows, ratePerSec, start);
  }
  const startDurationMs = Date.now() - startedAt;
  progress(`framework: all started in ${startDurationMs} ms`);
  const counts = await waitForCompletion({
    label: 'framework',
    target: options.workflows,
    intervalMs: options.pollIntervalMs,
    stallMs: STALL_MS,
    count: () => countTerminal(pool, names.schema, since),
    describeStall: async () => `${await describeUnfinished(pool, names.schema, since)}\nWorker output:\n${worker.recentOutput}`,
    failure: () => worker.exitReason,
  });
  const spent = await cpu.stop();
  const measured = await retrying(() => measureFramework(pool, names.schema, since));
  return {
    ...throughput(counts.completed, measured.stepsCompleted, measured.lastCompletedAtMs - startedAt),
    completed: counts.completed,
    failed: counts.terminal - counts.completed,
    startDurationMs,
    stepLatencyMs: measured.stepLatencyMs,
    endToEndLatencyMs: measured.endToEndLatencyMs,
    cpuMsPerStep: spent.perStep(measured.stepsCompleted),
  };
}
