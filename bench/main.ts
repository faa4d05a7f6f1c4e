import 'reflect-metadata';
import { newBenchNames } from './bench-names';
import { createBenchPool } from './bench-pool';
import { parseBenchOptions, type BenchOptions } from './bench-options';
import { benchReport } from './bench-report';
import { runFloor, type FloorSettings } from './floor/floor-run';
import { runFramework } from './framework/framework-run';
import { machineInfo } from './machine-info';
import { progress } from './progress';
import { writeResults } from './results-writer';

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
    progress(`${options.workflows} workflows; namespace ${names.namespace}, schema ${names.schema}; ${machine.cpus} cpus, node ${machine.node}`);
    const tuning = { prefetch: options.prefetch, commitBatchSize: options.commitBatchSize, commitConcurrency: options.commitConcurrency, poolSize: options.poolSize };
    const framework = await runFramework(options, names, tuning, pool);
    progress(`framework: ${framework.stepsPerSec} steps/s`);
    const floorSettings: FloorSettings = { prefetch: framework.settings.prefetch, poolSize: options.poolSize, queueType: framework.settings.queueType };
    const floor = options.runFloor ? await runFloor(options, names, 'per-message', floorSettings, pool) : null;
    if (floor) progress(`floor (per-message): ${floor.stepsPerSec} steps/s`);
    const floorBatched = options.runBatchedFloor ? await runFloor(options, names, 'batched', floorSettings, pool) : null;
    if (floorBatched) progress(`floor (batched): ${floorBatched.stepsPerSec} steps/s`);
    const report = benchReport({ options, names, machine, framework, floor, floorBatched });
    progress(`wrote ${await writeResults(report)}`);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await pool.end();
  }
}

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
void main(options).catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exitCode = 1;
});
