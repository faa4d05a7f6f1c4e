import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { strategosOptionsFromEnv } from '@app/orders';
import { StrategosModule, StrategosRuntime } from '@strategos/nestjs';
import { BenchOrderModule } from './bench-order.module';
import { tunedOptions, tuningFromEnv } from './framework-tuning';
import { countQueries } from './query-counter';
import { QUERY_COUNTS_MARKER, WORKER_READY_MARKER, type WorkerSettings } from './worker-settings';

/**
 * The framework worker of the benchmark: the sequential order workflow's steps ({@link BenchOrderModule}) on RabbitMQ and PostgreSQL, as a real
 * deployment runs them (`STRATEGOS_NAMESPACE`, `STRATEGOS_SCHEMA`, `RABBITMQ_URL`, `DATABASE_URL`, and the
 * `BENCH_*` tuning). Prints `bench-worker-ready <settings>` once it consumes; SIGTERM shuts it down (after
 * printing the query counts with `BENCH_COUNT_QUERIES=1`).
 */
const tuning = tuningFromEnv(process.env);

if (process.env.BENCH_COUNT_QUERIES === '1') {
  const readCounts = countQueries();
  // Before Nest's shutdown hook, which ends the process with the signal.
  process.prependListener('SIGTERM', () => console.log(`${QUERY_COUNTS_MARKER} ${JSON.stringify(readCounts())}`));
}

const options = tunedOptions(strategosOptionsFromEnv(), tuning);
const applicationName = process.env.BENCH_APPLICATION_NAME;
// The bench finds this worker's database backends by their application_name, to count their CPU.
const postgres = options.postgres && applicationName ? { ...options.postgres, applicationName } : options.postgres;

@Module({
  imports: [StrategosModule.forRoot({ ...options, postgres }), BenchOrderModule],
})
class BenchWorkerModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(BenchWorkerModule, { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  const { prefetch, commitBatchSize, commitConcurrency, queueType } = app.get(StrategosRuntime).settings;
  const settings: WorkerSettings = { prefetch, commitBatchSize, commitConcurrency, queueType, poolSize: tuning.poolSize };
  console.log(`${WORKER_READY_MARKER} ${JSON.stringify(settings)}`);
}

void bootstrap().catch((error: unknown) => {
  console.error('bench-worker-failed', error);
  process.exit(1);
});
