import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as amqp from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  controlQueueName,
  startQueueName,
  stepQueueName,
  StrategosModule,
  topologyNames,
  WorkflowQuery,
  WorkflowStarter,
  type WorkflowDefinition,
} from '@strategos/nestjs';
import { RESULTS_DIR } from '../bench-paths';
import { latencyPercentiles, millisecondsBetween, type LatencyPercentiles } from '../latency-stats';
import { machineInfo, roundedLoad } from '../machine-info';
import { progress } from '../progress';
import { sourceInfo } from '../source-info';
import { StderrLogger } from '../stderr-logger';
import { FORK_BENCH_STEPS, forkBench, sequentialBench, type ForkBenchState } from './fork-workflows';

/** Options of `npm run bench -- --scenario fork`. */
interface ForkBenchOptions {
  /** Measured runs of each workflow, per work time. */
  readonly runs: number;
  /** Unmeasured runs of each workflow first (connections, caches, JIT). */
  readonly warmup: number;
  /** The work steps' bodies' durations to measure, e.g. [0, 50]. */
  readonly workMs: readonly number[];
  readonly rabbitmqUrl: string;
  readonly databaseUrl: string;
}

type ForkBenchDefinition = WorkflowDefinition<ForkBenchState>;

/** One work time's figures: end to end (`Started` to `Completed`) of each workflow, and their ratio. */
interface ForkBenchResult {
  readonly workMs: number;
  readonly sequentialMs: LatencyPercentiles;
  readonly forkMs: LatencyPercentiles;
  /** fork p50 / sequential p50. */
  readonly p50Ratio: number | null;
  /** What one work step adds to a sequential run (its p50 over the four), to compare the fork with. */
  readonly sequentialPerWorkStepMs: number | null;
  readonly loadAverage: readonly number[];
}

function option(argv: readonly string[], name: string, fallback: string): string {
  const index = argv.indexOf(`--${name}`);
  return index < 0 ? fallback : (argv[index + 1] ?? '');
}

function wholeNumbers(name: string, value: string): number[] {
  const numbers = value.split(',').map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 0))
    throw new Error(`--${name} needs whole numbers (comma-separated), got '${value}'`);
  return numbers;
}

function forkBenchOptions(argv: readonly string[]): ForkBenchOptions {
  const [runs] = wholeNumbers('runs', option(argv, 'runs', '100'));
  const [warmup] = wholeNumbers('warmup', option(argv, 'warmup', '10'));
  return {
    runs: Math.max(1, runs),
    warmup,
    workMs: wholeNumbers('work-ms', option(argv, 'work-ms', '0,50')),
    rabbitmqUrl: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
}

/**
 * The fork scenario: at low load (one run at a time, fork and sequential runs alternating), the end-to-end time of
 * Begin -> fork of four one-step paths -> Finish against Begin -> the same four steps in a row -> Finish, for each
 * `--work-ms` (the work step's body). Prints one JSON object and writes it to bench/results/<time>-fork.json.
 */
export async function runForkScenario(argv: readonly string[]): Promise<void> {
  const options = forkBenchOptions(argv);
  const suffix = randomBytes(4).toString('hex');
  const namespace = `bench-fork-${suffix}`;
  const schema = `bench_fork_${suffix}`;

  @Module({
    imports: [
      StrategosModule.forRoot({
        rabbitmq: { url: options.rabbitmqUrl },
        postgres: { url: options.databaseUrl, schema },
        namespace,
        archiveDeadLetters: false,
      }),
      StrategosModule.forFeature({ workflows: [forkBench, sequentialBench] }),
    ],
    providers: [...FORK_BENCH_STEPS],
  })
  class ForkBenchModule {}

  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  const machine = await machineInfo(pool, options.rabbitmqUrl);
  const app = await NestFactory.createApplicationContext(ForkBenchModule, { logger: new StderrLogger({ logLevels: ['error', 'warn'] }) });
  const starter = app.get(WorkflowStarter);
  const query = app.get(WorkflowQuery);
  const runOne = async (definition: ForkBenchDefinition, workMs: number): Promise<string> => {
    const { workflowId } = await starter.start(definition, { workflowId: randomUUID(), workMs });
    const view = await query.waitFor(workflowId, { timeoutMs: 60_000 });
    if (view.status !== 'completed') throw new Error(`${definition.name} run ${workflowId} ended ${view.status}`);
    return workflowId;
  };
  const results: ForkBenchResult[] = [];
  try {
    for (const workMs of options.workMs) {
      progress(`fork: work ${workMs} ms: ${options.warmup} warm-up and ${options.runs} measured runs of each workflow, one at a time`);
      for (let i = 0; i < options.warmup; i++) for (const definition of [sequentialBench, forkBench]) await runOne(definition, workMs);
      const ids = new Map<ForkBenchDefinition, string[]>([
        [sequentialBench, []],
        [forkBench, []],
      ]);
      // Alternating, so that a change in the machine's load affects both alike.
      for (let i = 0; i < options.runs; i++) for (const [definition, list] of ids) list.push(await runOne(definition, workMs));
      const sequentialMs = await endToEnd(pool, schema, ids.get(sequentialBench)!);
      const forkMs = await endToEnd(pool, schema, ids.get(forkBench)!);
      const result: ForkBenchResult = {
        workMs,
        sequentialMs,
        forkMs,
        p50Ratio: ratio(forkMs.p50, sequentialMs.p50),
        sequentialPerWorkStepMs: await perWorkStep(pool, schema, ids.get(sequentialBench)!),
        loadAverage: roundedLoad(),
      };
      progress(`fork: ${JSON.stringify(result)}`);
      results.push(result);
    }
  } finally {
    await app.close();
    await removeTopology(options.rabbitmqUrl, namespace, pool, schema);
  }
  const report = {
    scenario: 'fork',
    machine,
    source: await sourceInfo(),
    options: { runs: options.runs, warmup: options.warmup },
    results,
  };
  await pool.end();
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${new Date().toISOString().replace(/:/g, '-')}-fork.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${path}`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** Percentiles of `Started` -> `Completed` of the runs `ids`. */
function endToEnd(pool: Pool, schema: string, ids: readonly string[]): Promise<LatencyPercentiles> {
  const events = `"${schema}".events`;
  const list = ids.map((id) => `'${id}'`).join(', '); // UUIDs this process generated
  return latencyPercentiles(
    pool,
    `SELECT ${millisecondsBetween('started.recorded_at', 'completed.recorded_at')} AS ms
     FROM ${events} started JOIN ${events} completed ON completed.workflow_id = started.workflow_id AND completed.kind = 'Completed'
     WHERE started.kind = 'Started' AND started.workflow_id IN (${list})`,
  );
}

/** p50 over the sequential runs of the time from Begin's `StepCompleted` to Work4's, divided by four. */
async function perWorkStep(pool: Pool, schema: string, ids: readonly string[]): Promise<number | null> {
  const events = `"${schema}".events`;
  const list = ids.map((id) => `'${id}'`).join(', ');
  const stats = await latencyPercentiles(
    pool,
    `SELECT ${millisecondsBetween('b.recorded_at', 'w.recorded_at')} / 4 AS ms
     FROM ${events} b JOIN ${events} w ON w.workflow_id = b.workflow_id AND w.kind = 'StepCompleted' AND w.data->>'step' = 'Work4'
     WHERE b.kind = 'StepCompleted' AND b.data->>'step' = 'Begin' AND b.workflow_id IN (${list})`,
  );
  return stats.p50;
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100;
}

async function removeTopology(rabbitmqUrl: string, namespace: string, pool: Pool, schema: string): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (const definition of [forkBench, sequentialBench]) {
      for (const step of definition.stepsByName.keys()) await channel.deleteQueue(stepQueueName(namespace, definition.name, step));
      await channel.deleteQueue(startQueueName(namespace, definition.name));
      await channel.deleteQueue(controlQueueName(namespace, definition.name));
    }
    const names = topologyNames(namespace);
    await channel.deleteQueue(names.deadLetterQueue);
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
  } finally {
    await connection.close();
  }
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
