import * as amqp from 'amqplib';
import type { Pool } from 'pg';
import type { BenchNames } from '../bench-names';
import type { BenchOptions } from '../bench-options';
import { bestEffort } from '../best-effort';
import { ChildWorker } from '../child-worker';
import { Pool as PgPool } from 'pg';
import { CpuMeter, type CpuPerStep } from '../cpu-usage';
import { waitForCompletion } from '../completion-poller';
import type { LatencyPercentiles } from '../latency-stats';
import { progress } from '../progress';
import { retrying } from '../retrying';
import { tableActivityPerStep, type TableActivity } from '../table-activity';
import { tableSizes, type TableSize } from '../table-sizes';
import { throughput, type Throughput } from '../throughput';
import type { FloorCounters } from './delivery-handler';
import { countFloorCompleted, describeFloorUnfinished, measureFloor } from './floor-measurements';
import { declareFloorQueues, deleteFloorQueues } from './floor-queues';
import { createFloorSchema, dropFloorSchema } from './floor-schema';
import { startFloorWorkflows } from './floor-starter';
import { floorStatements } from './floor-statements';
import { FLOOR_COUNTERS_MARKER, FLOOR_READY_MARKER, floorConfigToEnv, type FloorMode, type FloorWorkerConfig } from './floor-worker-config';

/** Settings the floor shares with the framework run, so that the two compare. */
export interface FloorSettings {
  /** Steps per workflow: the framework workflow's happy path. */
  readonly steps: number;
  readonly prefetch: number;
  readonly poolSize: number;
  readonly queueType: 'quorum' | 'classic';
}

/** One floor run's results. */
export interface FloorResult extends Throughput {
  readonly mode: FloorMode;
  readonly stepLatencyMs: LatencyPercentiles;
  readonly endToEndLatencyMs: LatencyPercentiles;
  readonly workerPeakRssMb: number | null;
  /** CPU time per step by process, from the first start to the last completion. */
  readonly cpuMsPerStep: CpuPerStep;
  readonly tableActivityPerStep: Record<string, TableActivity>;
  /** Rows, dead tuples and bytes on disk per table after the run. */
  readonly tableSizes: Record<string, TableSize>;
  readonly counters: FloorCounters | null;
  readonly settings: FloorSettings & { readonly batchSize?: number; readonly batchConcurrency?: number };
}

type RunMeasurements = Pick<FloorResult, keyof Throughput | 'stepLatencyMs' | 'endToEndLatencyMs' | 'cpuMsPerStep'>;

const READY_TIMEOUT_MS = 30_000;
const STALL_MS = 30_000;
/** Batches in flight at once in the batched floor: the framework's `commitConcurrency` default. */
const BATCH_CONCURRENCY = 2;

/** N floor workflows through a floor worker child process; its queues and schema are removed afterwards. */
export async function runFloor(
  options: BenchOptions,
  names: BenchNames,
  mode: FloorMode,
  settings: FloorSettings,
  pool: Pool,
): Promise<FloorResult> {
  const config = floorWorkerConfig(options, names, mode, settings);
  await declareFloorQueues(options.rabbitmqUrl, config.queuePrefix, config.steps, settings.queueType);
  await createFloorSchema(pool, config.schema);
  const worker = new ChildWorker({
    name: `floor-${mode}`,
    entry: 'floor/floor-worker.main',
    env: floorConfigToEnv(config),
    verbose: options.verbose,
  });
  try {
    await worker.waitForLine(FLOOR_READY_MARKER, READY_TIMEOUT_MS);
    const run = await measureRun(options, config, pool, worker);
    const workerPeakRssMb = await worker.peakRssMb();
    const counters = worker.waitForLine(FLOOR_COUNTERS_MARKER, READY_TIMEOUT_MS).then(
      (json) => JSON.parse(json) as FloorCounters,
      () => null,
    );
    await worker.stop();
    const batching = mode === 'batched' ? { batchSize: config.batchSize, batchConcurrency: config.batchConcurrency } : {};
    return {
      mode,
      ...run,
      workerPeakRssMb,
      tableActivityPerStep: await tableActivityPerStep(pool, config.schema, run.steps),
      tableSizes: await tableSizes(pool, config.schema),
      counters: await counters,
      settings: { ...settings, ...batching },
    };
  } finally {
    await worker.stop();
    await bestEffort(`deleting the ${config.queuePrefix} queues`, () =>
      deleteFloorQueues(options.rabbitmqUrl, config.queuePrefix, config.steps),
    );
    await bestEffort(`dropping schema ${config.schema}`, () => dropFloorSchema(pool, config.schema));
  }
}

function floorWorkerConfig(options: BenchOptions, names: BenchNames, mode: FloorMode, settings: FloorSettings): FloorWorkerConfig {
  return {
    mode,
    rabbitmqUrl: options.rabbitmqUrl,
    databaseUrl: options.databaseUrl,
    schema: names.floorSchema,
    queuePrefix: `${names.namespace}.floor-${mode}`,
    steps: settings.steps,
    prefetch: settings.prefetch,
    poolSize: settings.poolSize,
    batchSize: options.floorBatchSize,
    batchConcurrency: BATCH_CONCURRENCY,
    applicationName: `${names.namespace}-floor-${mode}`,
  };
}

async function measureRun(options: BenchOptions, config: FloorWorkerConfig, pool: Pool, worker: ChildWorker): Promise<RunMeasurements> {
  const connection = await amqp.connect(options.rabbitmqUrl, { noDelay: true });
  const starterApplicationName = `${config.applicationName}-starter`;
  // The starter's own connections, so that their backends' CPU counts with the worker's.
  const startPool = new PgPool({ connectionString: options.databaseUrl, max: 2, application_name: starterApplicationName });
  startPool.on('error', (error) => progress(`floor starter: idle database connection lost (${error.message})`));
  try {
    const publisher = await connection.createConfirmChannel();
    const cpu = new CpuMeter({
      workerPid: worker.pid,
      pool,
      postgresApplicationNames: [config.applicationName, starterApplicationName],
      broker: 'rabbitmq',
    });
    await cpu.start();
    const startedAt = Date.now();
    progress(`floor (${config.mode}): starting ${options.workflows} workflows`);
    await startFloorWorkflows(
      { pool: startPool, sql: floorStatements(config.schema), publisher, queuePrefix: config.queuePrefix },
      options.workflows,
      options.startChunkSize,
    );
    await waitForCompletion({
      label: `floor (${config.mode})`,
      target: options.workflows,
      intervalMs: options.pollIntervalMs,
      stallMs: STALL_MS,
      count: () => countFloorCompleted(pool, config.schema, config.steps),
      describeStall: async () => `${await describeFloorUnfinished(pool, config.schema)}\nWorker output:\n${worker.recentOutput}`,
      failure: () => worker.exitReason,
    });
    const spent = await cpu.stop();
    const measured = await retrying(() => measureFloor(pool, config.schema, config.steps));
    return {
      ...throughput(options.workflows, measured.stepsCompleted, measured.lastCompletedAtMs - startedAt),
      stepLatencyMs: measured.stepLatencyMs,
      endToEndLatencyMs: measured.endToEndLatencyMs,
      cpuMsPerStep: spent.perStep(measured.stepsCompleted),
    };
  } finally {
    await connection.close();
    await startPool.end();
  }
}
