import { randomBytes } from 'node:crypto';

/** The broker namespace and database schemas of one bench run, unique so that runs never share state. */
export interface BenchNames {
  /** Queue and exchange prefix of the framework run (the floor's queues live under it too). */
  readonly namespace: string;
  /** Schema of the framework's store. */
  readonly schema: string;
  /** Schema of the floor's tables. */
  readonly floorSchema: string;
}

/** Fresh names: `bench-<hex>` for the broker, `bench_<hex>` (and `bench_<hex>_floor`) for PostgreSQL. */
export function newBenchNames(): BenchNames {
  const suffix = randomBytes(4).toString('hex');
  return { namespace: `bench-${suffix}`, schema: `bench_${suffix}`, floorSchema: `bench_${suffix}_floor` };
}

/** `application_name` of the worker's database connections (their backends' CPU is the run's). */
export function workerApplicationName(names: BenchNames): string {
  return `${names.namespace}-worker`;
}

/** `application_name` of the starter's database connections. */
export function starterApplicationName(names: BenchNames): string {
  return `${names.namespace}-starter`;
}
