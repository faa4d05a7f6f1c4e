import 'reflect-metadata';
import type { Pool } from 'pg';
import { newBenchNames, type BenchNames } from './bench-names';
import { createBenchPool } from './bench-pool';
import { BenchUsageRequest, parseBenchOptions, type BenchOptions } from './bench-options';
import { benchReport } from './bench-report';
import { runFloor, type FloorResult, type FloorSettings } from './floor/floor-run';
import { runFramework, type FrameworkResult } from './framework/framework-run';
import { frameworkTuning } from './framework/framework-tuning';
import { machineInfo } from './machine-info';
import { progress } from './progress';
import { writeResults } from './results-writer';
import { sourceInfo } from './source-info';

/**
 * `npm run bench -- --workflows 2000`: the order workflow through a framework worker, then the same work
 * through the hand-written floor (per message, then batched), on the real RabbitMQ and PostgreSQL. Prints
 * one JSON object on stdout and writes it to bench/results/.
 */
async function main(options: BenchOptions): Promise<void> {
  const names = newBenchNames();
  const pool = createBenchPool(options.databaseUrl);
  try {
    const machine = await machineInfo(pool, options.rabbitmqUrl);
    const source = await sourceInfo();
    progress(
      `${options.workflows} workflows; namespace ${names.namespace}, schema ${names.schema}; ${machine.cpus} cpus, node ${machine.node}`,
    );
    const framework = await runFramework(options, names, frameworkTuning(options), pool);
    progress(`framework: ${framework.stepsPerSec} steps/s`);
    const { floor, floorBatched } = await runFloors(options, names, framework, pool);
    const report = benchReport({ options, names, machine, source, framework, floor, floorBatched });
    progress(`wrote ${await writeResults(report)}`);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await pool.end();
  }
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

let options: BenchOptions;
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
