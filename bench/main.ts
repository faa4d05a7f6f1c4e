import 'reflect-metadata';
import type { Pool } from 'pg';
import { newBenchNames, type BenchNames } from './bench-names';
import { createBenchPool } from './bench-pool';
import { BenchUsageRequest, parseBenchOptions, type BenchOptions } from './bench-options';
import { benchReport, type BenchRound, type RateRun } from './bench-report';
import { runBullmq, type BullmqResult } from './bullmq/bullmq-run';
import { redisReachable } from './bullmq/redis-reachable';
import { runFloor, type FloorResult, type FloorSettings } from './floor/floor-run';
import { runFramework, type FrameworkResult } from './framework/framework-run';
import { frameworkTuning } from './framework/framework-tuning';
import { machineInfo } from './machine-info';
import { progress } from './progress';
import { writeResults } from './results-writer';
import { sourceInfo } from './source-info';
import { runForkScenario } from './fork/fork-run';
import { runTimersScenario } from './timers/timers-run';

/**
 * `npm run bench -- --workflows 2000`: the order workflow through a framework worker, then the same work
 * through the hand-written floor (per message, then batched) and through BullMQ (when Redis answers), on
 * the real servers, in `--rounds` interleaved rounds; then, with `--rate`/`--rate-of-peak`, an open-loop
 * framework run at a fixed start rate. Prints one JSON object on stdout and writes it to bench/results/.
 */
async function main(options: BenchOptions): Promise<void> {
  const pool = createBenchPool(options.databaseUrl);
  try {
    const machine = await machineInfo(pool, options.rabbitmqUrl);
    const source = await sourceInfo();
    const bullmq = options.runBullmq && (await redisReachable(options.redisUrl));
    if (options.runBullmq && !bullmq) progress(`bullmq: no Redis answers at ${options.redisUrl}; the BullMQ peer is skipped`);
    progress(`${options.workflows} workflows, ${options.rounds} round(s); ${machine.cpus} cpus, node ${machine.node}`);
    const rounds: BenchRound[] = [];
    for (let round = 1; round <= options.rounds; round++) rounds.push(await runRound(options, newBenchNames(), pool, round, bullmq));
    const rateRun = await runAtRate(options, rounds, pool);
    const report = benchReport({ options, machine, source, rounds, rateRun, bullmqSkipped: options.runBullmq && !bullmq });
    progress(`wrote ${await writeResults(report)}`);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await pool.end();
  }
}

async function runRound(options: BenchOptions, names: BenchNames, pool: Pool, round: number, bullmq: boolean): Promise<BenchRound> {
  progress(`round ${round}: namespace ${names.namespace}, schema ${names.schema}`);
  const framework = await runFramework(options, names, frameworkTuning(options), pool);
  progress(`round ${round} framework: ${framework.stepsPerSec} steps/s`);
  const { floor, floorBatched } = await runFloors(options, names, framework, pool);
  let bullmqResult: BullmqResult | null = null;
  if (bullmq) {
    bullmqResult = await runBullmq(
      options,
      names,
      { steps: Math.round(framework.stepsPerWorkflow), concurrency: framework.settings.prefetch },
      pool,
    );
    progress(`round ${round} bullmq: ${bullmqResult.stepsPerSec} steps/s`);
  }
  return { names, framework, floor, floorBatched, bullmq: bullmqResult };
}

/** The floor runs the options ask for, with the framework run's steps per workflow, prefetch and queue type. */
async function runFloors(
  options: BenchOptions,
  names: BenchNames,
  framework: FrameworkResult,
  pool: Pool,
): Promise<{ floor: FloorResult | null; floorBatched: FloorResult | null }> {
  const settings: FloorSettings = {
    steps: Math.round(framework.stepsPerWorkflow),
    prefetch: framework.settings.prefetch,
    poolSize: options.poolSize,
    queueType: framework.settings.queueType,
  };
  const floor = options.runFloor ? await runFloor(options, names, 'per-message', settings, pool) : null;
  if (floor) progress(`floor (per-message): ${floor.stepsPerSec} steps/s`);
  const floorBatched = options.runBatchedFloor ? await runFloor(options, names, 'batched', settings, pool) : null;
  if (floorBatched) progress(`floor (batched): ${floorBatched.stepsPerSec} steps/s`);
  return { floor, floorBatched };
}

/** The open-loop framework run of `--rate` or `--rate-of-peak`, or null. */
async function runAtRate(options: BenchOptions, rounds: readonly BenchRound[], pool: Pool): Promise<RateRun | null> {
  const peak = median(rounds.map((round) => round.framework.workflowsPerSec));
  const rate = options.rate ?? (options.rateOfPeak === undefined ? undefined : Math.round(options.rateOfPeak * peak * 10) / 10);
  if (rate === undefined) return null;
  const names = newBenchNames();
  progress(`open loop: ${options.rateWorkflows} workflows at ${rate}/s (peak ${peak}/s); namespace ${names.namespace}`);
  const framework = await runFramework({ ...options, workflows: options.rateWorkflows }, names, frameworkTuning(options), pool, rate);
  return { ratePerSec: rate, fractionOfPeak: Math.round((rate / peak) * 100) / 100, peakWorkflowsPerSec: peak, names, framework };
}

/** The median of `values` (the lower middle one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

let options: BenchOptions;
const scenario = process.argv.indexOf('--scenario');
if (scenario >= 0 && process.argv[scenario + 1] === 'timers') {
  // `npm run bench -- --scenario timers [--parked N] [--moderate N] [--burst N]`: parked runs and durable timers.
  void runTimersScenario(process.argv.slice(2))
    .catch((error: unknown) => {
      console.error('bench failed:', error);
      process.exitCode = 1;
    })
    .finally(() => process.exit());
} else if (scenario >= 0 && process.argv[scenario + 1] === 'fork') {
  // `npm run bench -- --scenario fork [--runs 100] [--warmup 10] [--work-ms 0,50]`: a fork of 4 paths vs 4 steps in a row.
  void runForkScenario(process.argv.slice(2))
    .catch((error: unknown) => {
      console.error('bench failed:', error);
      process.exitCode = 1;
    })
    .finally(() => process.exit());
} else {
  runStandardBench();
}

function runStandardBench(): void {
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(error instanceof BenchUsageRequest ? 0 : 2);
  }
  void main(options).catch((error: unknown) => {
    console.error('bench failed:', error);
    process.exitCode = 1;
  });
}
